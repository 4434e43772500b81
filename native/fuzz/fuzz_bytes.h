/* fuzz_bytes.h: reading a libFuzzer input as a stream of small values, shared by
 * the fuzz targets (fuzz_scorer.c, fuzz_parser.c, fuzz_miner.c, fuzz_part.c). Past the end of
 * the input every read gives 0, so a target never reads out of bounds. */
#ifndef POS_FUZZ_BYTES_H
#define POS_FUZZ_BYTES_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *p;
    size_t n;
} bytes_t;

static inline uint8_t u8(bytes_t *b)
{
    if (!b->n)
        return 0;
    b->n--;
    return *b->p++;
}

static inline int32_t small(bytes_t *b, int32_t lo, int32_t span)   /* lo .. lo + span - 1 */
{
    return lo + (int32_t)(u8(b) % (uint8_t)span);
}

/* A double that is often out of range: NaN, +inf, -1, 0, and with `huge` 1e300;
 * else 0 .. 64 in 1/256 steps. */
static inline double fuzz_number(bytes_t *b, int huge)
{
    uint8_t x = u8(b);
    switch (x % 16) {
    case 0: return NAN;
    case 1: return INFINITY;
    case 2: return -1.0;
    case 3: return 0.0;
    case 4:
        if (huge)
            return 1e300;
        break;
    default: break;
    }
    return (double)(x % 64) + (double)u8(b) / 256.0;
}

/* A CSV delimiter picked by a target's mode byte: ',' ';' or tab, and '|' now
 * and then (the mode's other bits are the target's own). */
static inline int32_t fuzz_delimiter(uint8_t mode)
{
    static const int32_t delims[4] = {',', ';', '\t', '|'};
    return delims[mode % 4 == 3 && (mode & 0x80) ? 3 : mode % 3];
}

#endif
