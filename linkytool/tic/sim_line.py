"""What a 7E1 UART receives when the sender and the receiver disagree on the speed.

A pty carries bytes whatever speed each side configures, so on its own it cannot show the
reader that 9600 baud is wrong for a 1200-baud historique meter. The simulator serves its
pty through :class:`UartLine`: when the reader's configured speed (read back from the pty's
termios) differs from the meter's, the bytes are turned into a bit stream at the meter's
speed and sampled at the reader's, like a real UART would (start-bit detection, mid-bit
sampling, 7 data bits LSB first, parity and stop bits not checked: pyserial disables the
kernel's parity check). Speed autodetection is then tested against realistic garbage.
Pure and sans-I/O: bytes in, bytes out.
"""

from __future__ import annotations

#: Bits per character on the TIC line: start + 7 data + even parity + stop.
BITS_PER_CHAR = 10
DATA_BITS = 7


def char_bits(byte: int) -> list[int]:
    """Line levels of one 7E1 character (1 = idle/mark), start bit first."""
    data = [(byte >> i) & 1 for i in range(DATA_BITS)]
    parity = sum(data) & 1
    return [0, *data, parity, 1]


class UartLine:
    """Resamples a 7E1 byte stream sent at ``tx_baud`` as received at ``rx_baud``.

    Stateful: bits of a character cut between two :meth:`transfer` calls are kept. When
    both speeds are equal the bytes pass unchanged (masked to 7 bits, as a 7-bit UART
    delivers them).
    """

    def __init__(self, tx_baud: int) -> None:
        self.tx_baud = tx_baud
        self._bits: list[int] = []  # pending line levels at tx speed
        self._ready = 0.0  # time the receiver looks for a start bit [tx bit periods]

    def transfer(self, data: bytes, rx_baud: int) -> bytes:
        """Bytes a receiver set to ``rx_baud`` decodes from ``data`` sent at ``tx_baud``."""
        if rx_baud == self.tx_baud or rx_baud <= 0:
            self._bits.clear()
            self._ready = 0.0
            return bytes(byte & 0x7F for byte in data)
        for byte in data:
            self._bits.extend(char_bits(byte))
        return self._sample(self.tx_baud / rx_baud)

    def _sample(self, ratio: float) -> bytes:
        """Decode characters from the pending bits; ``ratio`` = rx bit length in tx bits."""
        bits = self._bits
        out = bytearray()
        position = self._ready
        needed = (BITS_PER_CHAR - 0.5) * ratio  # from start edge to the stop-bit middle
        while True:
            index = int(position)
            while index < len(bits) and bits[index] == 1:
                index += 1
            if index >= len(bits):
                position = float(len(bits))
                break
            start = max(position, float(index))
            if start + needed >= len(bits):
                position = start
                break
            levels = [bits[int(start + (slot + 0.5) * ratio)] for slot in range(BITS_PER_CHAR)]
            if levels[0] != 0:  # glitch shorter than half a bit: not a start bit
                position = start + 0.5 * ratio
                continue
            out.append(sum(level << i for i, level in enumerate(levels[1 : 1 + DATA_BITS])))
            position = start + needed
        consumed = int(position)
        del bits[:consumed]
        self._ready = position - consumed
        return bytes(out)
