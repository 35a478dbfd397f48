#ifndef SHIFTLOG_CRC32C_H
#define SHIFTLOG_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Extends a CRC-32C (Castagnoli) over `length` bytes. `crc` is the running value with its
/// bits inverted as the algorithm keeps it (start with 0xFFFFFFFF, invert the result).
/// Uses the SSE4.2 `crc32` instruction when the CPU has it, a table otherwise.
uint32_t shiftlog_crc32c_extend(uint32_t crc, const void *bytes, size_t length);

#endif
