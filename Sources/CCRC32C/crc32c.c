// CRC-32C for the checksum of every stored record: the SSE4.2 instruction, eight bytes at a
// time, where the CPU has it; a byte-at-a-time table elsewhere. `CRC32CTests` checks the path
// this machine takes against known answers, and logs written by the earlier Swift table
// (Fixtures/Logs/format-1) must still pass their checksums.
#include "shiftlog_crc32c.h"
#include <pthread.h>
#include <string.h>

static uint32_t table[256];

static void build_table(void) {
    for (uint32_t index = 0; index < 256; index++) {
        uint32_t crc = index;
        for (int bit = 0; bit < 8; bit++) crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        table[index] = crc;
    }
}

static uint32_t extend_table(uint32_t crc, const uint8_t *p, size_t length) {
    while (length--) crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t extend_sse42(uint32_t crc, const uint8_t *p, size_t length) {
    uint64_t crc64 = crc;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        crc64 = __builtin_ia32_crc32di(crc64, word);
        p += 8;
        length -= 8;
    }
    uint32_t crc32 = (uint32_t)crc64;
    while (length--) crc32 = __builtin_ia32_crc32qi(crc32, *p++);
    return crc32;
}
#endif

typedef uint32_t (*extend_function)(uint32_t, const uint8_t *, size_t);

static extend_function extend = NULL;
static pthread_once_t chosen = PTHREAD_ONCE_INIT;

static void choose(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.2")) {
        extend = extend_sse42;
        return;
    }
#endif
    build_table();
    extend = extend_table;
}

uint32_t shiftlog_crc32c_extend(uint32_t crc, const void *bytes, size_t length) {
    pthread_once(&chosen, choose);
    return extend(crc, (const uint8_t *)bytes, length);
}
