/* part.c: the reader of a dump's mined/neighbours.csv (the precomputed-lists
 * section of pos_core.h).
 *
 * A row is settled here only when it is plainly good or plainly skipped: the
 * right number of unquoted fields, valid UTF-8, no NUL, no field over 4096
 * bytes, key fields without surrounding whitespace, a count of plain digits,
 * weight and score in plain decimal notation; and then every check of
 * pos/chain/part.py's reference passes (registered skus, sku != partner, the
 * list's rows together, partner not listed twice, scores not increasing, count
 * <= both items' baskets, at most top_n partners) -- it is accepted; or, in a
 * region's or the chain's part, it names a sku not registered at all -- it is
 * skipped. Any other row is held for the caller, whose reference check says
 * what is wrong with it (or accepts it, through pos_part_reader_add).
 *
 * Numbers: a float must read to the double Python's float() gives. Decimal
 * mantissas of up to 19 digits are converted exactly: Clinger's fast path when
 * the mantissa and the power of ten are exact doubles, else (x87 long double)
 * one correctly rounded operation in 64 bits whose result is kept only when it
 * is not near a double's rounding midpoint; anything else goes to strtod.
 */
#define _DEFAULT_SOURCE /* madvise */
#include "pos_core.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#define SKU_MAX 255
#define FIELD_MAX 4096     /* bytes of a field the reader settles (pos.dump.csvfile.MAX_FIELD) */
#define NUM_MAX 64         /* bytes of a number field the reader settles */
#define NOT_CARRIED (-3)

#define INLINE 16          /* sku bytes kept in the slot itself (one cache line access) */

typedef struct {
    uint64_t hash;
    uint32_t off, len;     /* into the sku arena */
    int32_t item;          /* >= 0 carried, -1 rejected; slot empty when len is 0 */
    int32_t pad;
    char head[INLINE];     /* the sku's first bytes (all of a short one) */
} sku_slot;

/* What the reader keeps of an item: one cache line access for a partner. */
typedef struct {
    int64_t baskets;       /* from item_stats.csv */
    int64_t started;       /* line its list started on, 0 = not */
    int64_t first;         /* its first entry in `entries` */
    int32_t n_entries;
    uint32_t mark;         /* == stamp: a partner in the current list */
} item_state;

struct pos_part_reader {
    pos_part_format f;
    sku_slot *slots;
    size_t n_slots, n_skus;
    char *arena;
    size_t arena_len, arena_cap;
    item_state *items;     /* [n_items] */
    uint32_t stamp;
    int32_t current;
    int32_t has_last;
    double last_score;
    int64_t line;          /* the next line's number */
    int64_t rows, skipped;
    char last_sku[SKU_MAX];  /* the sku field of the row before, and its item */
    size_t last_len;
    int32_t last_item;
    pos_part_entry *entries;
    int64_t n, cap;
};

/* The k < 8 bytes at p as the low bytes of a word (the rest 0); `limit` ends
 * the readable memory: a whole word is loaded (one move) when it fits. */
static inline uint64_t load_tail(const char *p, size_t k, const char *limit)
{
    uint64_t w = 0;
    if (k == 0) return 0;
    if ((size_t)(limit - p) >= 8) {
        memcpy(&w, p, 8);
        return w & ((1ULL << (8 * k)) - 1);
    }
    for (size_t j = 0; j < k; j++) w |= (uint64_t)(unsigned char)p[j] << (8 * j);
    return w;
}

static inline uint64_t hash_limited(const char *p, size_t n, const char *limit)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    if (i < n) h = (h ^ load_tail(p + i, n - i, limit)) * 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 29;
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 32);
}

static inline uint64_t hash_bytes(const char *p, size_t n)
{
    return hash_limited(p, n, p + n);
}

/* The registered item of sku bytes: >= 0 carried, -1 rejected, NOT_CARRIED. */
static inline int32_t lookup_hashed(const pos_part_reader *r, const char *p, size_t n,
                                    uint64_t h)
{
    if (n == 0 || n > SKU_MAX) return NOT_CARRIED;
    size_t mask = r->n_slots - 1, i = (size_t)h & mask;
    for (;; i = (i + 1) & mask) {
        const sku_slot *s = &r->slots[i];
        if (s->len == 0) return NOT_CARRIED;
        if (s->hash == h && s->len == n
            && (n <= INLINE ? memcmp(s->head, p, n) == 0
                            : memcmp(s->head, p, INLINE) == 0
                              && memcmp(r->arena + s->off + INLINE, p + INLINE, n - INLINE) == 0))
            return s->item;
    }
}

static inline int32_t lookup(const pos_part_reader *r, const char *p, size_t n)
{
    return lookup_hashed(r, p, n, hash_bytes(p, n));
}

/* A zeroed table that is looked up at random: on huge pages when it is big
 * (the lookups' TLB misses, not their cache misses, were the reader's cost). */
static void *table(size_t n, size_t size)
{
    size_t bytes = n * size, huge = (size_t)2 << 20;
    if (bytes < 2 * huge) return calloc(n, size);
    bytes = (bytes + huge - 1) & ~(huge - 1);
    void *p = aligned_alloc(huge, bytes);
    if (!p) return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(p, bytes, MADV_HUGEPAGE);   /* advice only */
#endif
    memset(p, 0, bytes);
    return p;
}

int pos_part_reader_new(const pos_part_format *f, pos_part_reader **out)
{
    if (!f || !out) return POS_EINVAL;
    *out = NULL;
    int32_t cols[5] = {f->col_sku, f->col_partner, f->col_count, f->col_weight, f->col_score};
    if (!(f->delimiter == ',' || f->delimiter == ';' || f->delimiter == '\t')) return POS_EINVAL;
    if (f->n_columns < 5 || f->n_columns > 1024 || f->top_n < 1 || f->n_items < 0
        || f->first_line < 1 || (f->shared != 0 && f->shared != 1))
        return POS_EINVAL;
    for (int i = 0; i < 5; i++) {
        if (cols[i] < 0 || cols[i] >= f->n_columns) return POS_EINVAL;
        for (int j = 0; j < i; j++)
            if (cols[i] == cols[j]) return POS_EINVAL;
    }
    pos_part_reader *r = calloc(1, sizeof *r);
    if (!r) return POS_ENOMEM;
    r->f = *f;
    size_t n = (size_t)f->n_items + 1;
    r->n_slots = 16;
    r->slots = calloc(r->n_slots, sizeof *r->slots);
    r->items = table(n, sizeof *r->items);
    if (!r->slots || !r->items) {
        pos_part_reader_free(r);
        return POS_ENOMEM;
    }
    r->stamp = 1;
    r->current = -1;
    r->line = f->first_line;
    *out = r;
    return POS_OK;
}

void pos_part_reader_free(pos_part_reader *r)
{
    if (!r) return;
    free(r->slots);
    free(r->arena);
    free(r->items);
    free(r->entries);
    free(r);
}

static int grow_slots(pos_part_reader *r)
{
    size_t n = r->n_slots * 2;
    sku_slot *s = table(n, sizeof *s);
    if (!s) return POS_ENOMEM;
    for (size_t i = 0; i < r->n_slots; i++) {
        if (r->slots[i].len == 0) continue;
        size_t j = (size_t)r->slots[i].hash & (n - 1);
        while (s[j].len) j = (j + 1) & (n - 1);
        s[j] = r->slots[i];
    }
    free(r->slots);
    r->slots = s;
    r->n_slots = n;
    return POS_OK;
}

int pos_part_reader_add_sku(pos_part_reader *r, const char *sku, size_t len, int32_t item)
{
    if (!r || !sku || len == 0 || len > SKU_MAX || item < -1 || item >= r->f.n_items)
        return POS_EINVAL;
    if (lookup(r, sku, len) != NOT_CARRIED) return POS_EINVAL;
    if ((r->n_skus + 1) * 2 > r->n_slots && grow_slots(r) != POS_OK) return POS_ENOMEM;
    if (r->arena_len + len > r->arena_cap) {
        size_t cap = r->arena_cap ? r->arena_cap * 2 : 4096;
        while (cap < r->arena_len + len) cap *= 2;
        if (cap > UINT32_MAX) return POS_EOVERFLOW;
        char *a = realloc(r->arena, cap);
        if (!a) return POS_ENOMEM;
        r->arena = a;
        r->arena_cap = cap;
    }
    memcpy(r->arena + r->arena_len, sku, len);
    uint64_t h = hash_bytes(sku, len);
    size_t mask = r->n_slots - 1, i = (size_t)h & mask;
    while (r->slots[i].len) i = (i + 1) & mask;
    r->slots[i] = (sku_slot){h, (uint32_t)r->arena_len, (uint32_t)len, item, 0, {0}};
    memcpy(r->slots[i].head, sku, len < INLINE ? len : INLINE);
    r->arena_len += len;
    r->n_skus++;
    return POS_OK;
}

int pos_part_reader_set_baskets(pos_part_reader *r, const int64_t *baskets)
{
    if (!r || (!baskets && r->f.n_items > 0)) return POS_EINVAL;
    for (int32_t i = 0; i < r->f.n_items; i++)
        if (baskets[i] < 0) return POS_EINVAL;
    for (int32_t i = 0; i < r->f.n_items; i++) r->items[i].baskets = baskets[i];
    return POS_OK;
}

/* ---- numbers ------------------------------------------------------------- */

static const double POW10[23] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
                                 1e20, 1e21, 1e22};

#if LDBL_MANT_DIG == 64 && (defined(__x86_64__) || defined(__i386__))
static const long double POW10L[28] = {   /* exact in 64 bits: 5^27 < 2^64 */
    1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L, 1e12L, 1e13L,
    1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L,
    1e26L, 1e27L};
#endif

/* digits+ ['.' digits*] | '.' digits+, then [eE [+-] digits+]: its double in
 * *out (as Python's float() reads it); 0 when the text is not in that form. */
static int parse_real(const char *p, size_t n, double *out)
{
    if (n == 0 || n > NUM_MAX) return 0;
    const char *s = p, *e = p + n;
    uint64_t m = 0;
    int exact = 1, digits = 0;     /* exact: m holds every digit (no overflow) */
    int64_t exp10 = 0;
    unsigned d;
    for (; s < e && (d = (unsigned)(unsigned char)*s - '0') <= 9; s++, digits++) {
        if (m > 1844674407370955160ULL) exact = 0;   /* m * 10 + 9 might not fit */
        else m = m * 10 + d;
        if (!exact) exp10++;
    }
    if (s < e && *s == '.') {
        s++;
        while (e - s >= 8 && m < 100000000000ULL) {   /* 8 digits at once (m * 10^8 fits) */
            uint64_t v;
            memcpy(&v, s, 8);
            if ((((v & 0xF0F0F0F0F0F0F0F0ULL) | (((v + 0x0606060606060606ULL)
                                                 & 0xF0F0F0F0F0F0F0F0ULL) >> 4))
                 != 0x3333333333333333ULL))
                break;
            v -= 0x3030303030303030ULL;
            v = v * 10 + (v >> 8);
            v = (((v & 0x000000FF000000FFULL) * 0x000F424000000064ULL)
                 + (((v >> 16) & 0x000000FF000000FFULL) * 0x0000271000000001ULL)) >> 32;
            m = m * 100000000ULL + (uint32_t)v;
            exp10 -= 8;
            digits += 8;
            s += 8;
        }
        for (; s < e && (d = (unsigned)(unsigned char)*s - '0') <= 9; s++, digits++) {
            if (m > 1844674407370955160ULL) {
                exact = 0;
                continue;
            }
            m = m * 10 + d;
            exp10--;
        }
    }
    if (digits == 0) return 0;
    if (s < e && (*s == 'e' || *s == 'E')) {
        s++;
        int neg = 0;
        if (s < e && (*s == '+' || *s == '-')) neg = *s++ == '-';
        if (s == e) return 0;
        int64_t x = 0;
        for (; s < e && *s >= '0' && *s <= '9'; s++)
            if (x < 100000) x = x * 10 + (*s - '0');
        exp10 += neg ? -x : x;
    }
    if (s != e) return 0;
    if (m == 0) {
        *out = 0.0;
        return 1;
    }
    if (exact) {
        if (m < (1ULL << 53) && exp10 >= -22 && exp10 <= 22) {
            double d = (double)m;
            *out = exp10 < 0 ? d / POW10[-exp10] : d * POW10[exp10];
            return 1;
        }
#if LDBL_MANT_DIG == 64 && (defined(__x86_64__) || defined(__i386__))
        if (exp10 >= -27 && exp10 <= 27) {
            long double v = exp10 < 0 ? (long double)m / POW10L[-exp10]
                                      : (long double)m * POW10L[exp10];
            /* x87 extended: the 64-bit significand (explicit leading bit), then
             * the biased exponent; the 11 bits below a double's 53 */
            uint64_t bits;
            uint16_t top;
            memcpy(&bits, &v, sizeof bits);
            memcpy(&top, (const char *)&v + 8, sizeof top);
            int ex = (top & 0x7FFF) - 16383;
            uint32_t low = (uint32_t)(bits & 0x7FF);
            if (ex > -1000 && ex < 1000 && (low < 0x3FE || low > 0x402)) {
                *out = (double)v;
                return 1;
            }
        }
#endif
    }
    char text[NUM_MAX + 1];
    memcpy(text, p, n);
    text[n] = 0;
    const char *point = localeconv()->decimal_point;   /* strtod reads the C locale's */
    if (point && point[0] != '.' && point[0] && !point[1]) {
        char *dot = memchr(text, '.', n);
        if (dot) *dot = point[0];
    }
    *out = strtod(text, NULL);
    return 1;
}

/* ---- rows ---------------------------------------------------------------- */

/* Valid UTF-8 as Python's strict decoder takes it (no overlongs, surrogates, > U+10FFFF). */
static int utf8_valid(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) k = 1;
        else if (c == 0xE0) { k = 2; lo = 0xA0; }
        else if (c >= 0xE1 && c <= 0xEC) k = 2;
        else if (c == 0xED) { k = 2; hi = 0x9F; }
        else if (c >= 0xEE && c <= 0xEF) k = 2;
        else if (c == 0xF0) { k = 3; lo = 0x90; }
        else if (c >= 0xF1 && c <= 0xF3) k = 3;
        else if (c == 0xF4) { k = 3; hi = 0x8F; }
        else return 0;
        if (i + k >= n) return 0;
        if (p[i + 1] < lo || p[i + 1] > hi) return 0;
        for (size_t j = 2; j <= k; j++)
            if (p[i + j] < 0x80 || p[i + j] > 0xBF) return 0;
        i += k + 1;
    }
    return 1;
}

/* A key field the reader can look up: no whitespace (or non-ASCII byte) at its edges. */
static inline int clean_edges(const char *p, size_t n)
{
    if (n == 0) return 1;
    unsigned char a = (unsigned char)p[0], b = (unsigned char)p[n - 1];
    return a > 0x20 && a < 0x80 && b > 0x20 && b < 0x80;
}

enum { ROW_SETTLED, ROW_HELD };

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL

/* The bytes of x equal to the byte in every byte of `pattern`: their high bits (exact). */
static inline uint64_t bytes_equal(uint64_t x, uint64_t pattern)
{
    uint64_t y = x ^ pattern;
    return ~(((y & ~HIGH) + ~HIGH) | y | ~HIGH);
}

/* A count of 1 .. 18 plain digits: its value; else 0. */
static inline int64_t parse_count(const char *p, size_t n)
{
    if (n == 0 || n > 18) return 0;
    int64_t c = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)p[i] - '0';
        if (d > 9) return 0;
        c = c * 10 + d;
    }
    return c;
}

/* A row on its way through a batch: split and parsed (stage 1, which also
 * prefetches the partner's hash slot), looked up (stage 2, prefetching the
 * partner's item), checked against the reading state (stage 3, in order). */
typedef struct {
    const char *ps, *pp;   /* sku and partner fields */
    size_t ns, np;
    uint64_t hp;           /* the partner's hash */
    int64_t line;
    size_t end, next;      /* the row's end (no CRs) and the next row's start, in the chunk */
    int64_t c;
    double w, sc;
    int32_t a, b;
    int plain;             /* the values are plainly good */
    int held;              /* the row is not one the reader settles */
} staged;

/* Stage 1 for the line p[0..n). */
static void split(pos_part_reader *r, const char *p, size_t n, const char *limit, staged *x)
{
    const pos_part_format *f = &r->f;
    size_t ends[1025];     /* field i is [i ? ends[i - 1] + 1 : 0, ends[i]) */
    int32_t nf = 0;
    uint64_t delim = ONES * (unsigned char)f->delimiter, quote = ONES * '"', specials = 0;
    x->held = 1;
    for (size_t i = 0; i < n; i += 8) {
        uint64_t w;
        if (i + 8 <= n) {
            memcpy(&w, p + i, 8);
        } else {   /* the line's last bytes, padded with 'a' (no delimiter, nothing special) */
            uint64_t keep = (1ULL << (8 * (n - i))) - 1;
            w = load_tail(p + i, n - i, limit) | (ONES * 'a' & ~keep);
        }
        specials |= bytes_equal(w, quote) | bytes_equal(w, 0) | (w & HIGH);
        for (uint64_t d = bytes_equal(w, delim); d; d &= d - 1) {
            if (nf >= f->n_columns - 1) return;    /* too many fields */
            ends[nf++] = i + (size_t)(__builtin_ctzll(d) >> 3);
        }
    }
    ends[nf++] = n;
    if (nf != f->n_columns) return;
    if (specials) {   /* quotes and NUL bytes: held; other bytes >= 0x80: valid UTF-8 */
        for (size_t i = 0; i < n; i++)
            if (p[i] == '"' || p[i] == 0) return;
        if (!utf8_valid((const unsigned char *)p, n)) return;
    }
    if (n > FIELD_MAX)
        for (int32_t i = 0; i < nf; i++)
            if (ends[i] - (i ? ends[i - 1] + 1 : 0) > FIELD_MAX) return;
#define FIELD(col, ptr, len)                                          \
    size_t len##_at = (col) ? ends[(col) - 1] + 1 : 0;                \
    const char *ptr = p + len##_at;                                   \
    size_t len = ends[col] - len##_at
    FIELD(f->col_sku, ps, ns);
    FIELD(f->col_partner, pp, np);
    FIELD(f->col_count, pc, nc);
    FIELD(f->col_weight, pw, nw);
    FIELD(f->col_score, pq, nq);
#undef FIELD
    if (!clean_edges(ps, ns) || !clean_edges(pp, np)) return;
    x->held = 0;
    x->ps = ps, x->ns = ns, x->pp = pp, x->np = np;
    x->hp = hash_limited(pp, np, limit);
    __builtin_prefetch(&r->slots[(size_t)x->hp & (r->n_slots - 1)]);
    x->c = parse_count(pc, nc);
    x->w = x->sc = 0;
    x->plain = x->c >= 1 && ns > 0 && parse_real(pw, nw, &x->w) && parse_real(pq, nq, &x->sc)
            && x->w >= 0 && x->w < INFINITY && x->sc > 0 && x->sc < INFINITY;
}

/* Stage 2: the items (the sku usually the row before's). */
static void look_up(pos_part_reader *r, staged *x)
{
    if (x->ns == r->last_len && x->ns > 0 && memcmp(x->ps, r->last_sku, x->ns) == 0) {
        x->a = r->last_item;
    } else {
        x->a = lookup(r, x->ps, x->ns);
        if (x->ns <= SKU_MAX) {
            memcpy(r->last_sku, x->ps, x->ns);
            r->last_len = x->ns;
            r->last_item = x->a;
        }
    }
    x->b = lookup_hashed(r, x->pp, x->np, x->hp);
    if (x->b >= 0) __builtin_prefetch(&r->items[x->b]);
}

/* Stage 3: accepted, skipped, or held (-1: out of memory). */
static int settle(pos_part_reader *r, const staged *x)
{
    int32_t a = x->a, b = x->b;
    if (x->plain && a >= 0 && b >= 0 && a != b) {
        item_state *ia = &r->items[a], *ib = &r->items[b];
        int same = a == r->current;
        if ((same || ia->started == 0)
            && x->c <= ia->baskets && x->c <= ib->baskets
            && !(same && (ib->mark == r->stamp || !r->has_last || x->sc > r->last_score))
            && ia->n_entries < r->f.top_n) {
            if (!same && pos_part_reader_begin(r, a, x->line) != POS_OK) return ROW_HELD;
            pos_part_entry e = {x->c, x->w, x->sc, b, 0};
            if (pos_part_reader_add(r, a, &e) != POS_OK) return -1;
            r->rows++;
            return ROW_SETTLED;
        }
    }
    if (r->f.shared && ((x->ns > 0 && a == NOT_CARRIED) || (x->np > 0 && b == NOT_CARRIED))) {
        r->rows++;
        r->skipped++;
        return ROW_SETTLED;
    }
    return ROW_HELD;
}

#define BATCH 16

int pos_part_reader_feed(pos_part_reader *r, const char *buf, size_t len, int final,
                         size_t *consumed, pos_part_held *held)
{
    if (!r || (!buf && len > 0) || !consumed || !held) return POS_EINVAL;
    *held = (pos_part_held){0, -1, -1, -1};
    staged batch[BATCH];
    size_t pos = 0;
    for (;;) {
        int k = 0;
        size_t at = pos;
        while (k < BATCH && at < len) {
            const char *nl = memchr(buf + at, '\n', len - at);
            if (!nl && !final) break;
            staged *x = &batch[k++];
            size_t end = nl ? (size_t)(nl - buf) : len;
            x->next = nl ? end + 1 : len;
            while (end > at && buf[end - 1] == '\r') end--;
            x->end = end;
            x->line = r->line + k - 1;
            split(r, buf + at, end - at, buf + len, x);
            at = x->next;
            if (x->held) break;
        }
        if (k == 0) break;
        for (int i = 0; i < k; i++)
            if (!batch[i].held) look_up(r, &batch[i]);
        for (int i = 0; i < k; i++) {
            staged *x = &batch[i];
            size_t start = i ? batch[i - 1].next : pos;
            r->line++;
            int got = x->held ? ROW_HELD : settle(r, x);
            if (got < 0) {
                *consumed = start;
                r->line--;
                return POS_ENOMEM;
            }
            if (got == ROW_HELD) {
                *held = (pos_part_held){x->line, (int64_t)start, (int64_t)x->end,
                                        (int64_t)x->next};
                *consumed = start;
                return POS_OK;
            }
        }
        pos = batch[k - 1].next;
    }
    *consumed = pos;
    return POS_OK;
}

/* ---- state ---------------------------------------------------------------- */

int pos_part_reader_state(const pos_part_reader *r, pos_part_state *out)
{
    if (!r || !out) return POS_EINVAL;
    *out = (pos_part_state){r->current, r->has_last, r->has_last ? r->last_score : 0.0,
                            r->rows, r->skipped, r->n};
    return POS_OK;
}

int pos_part_reader_item(const pos_part_reader *r, int32_t item, pos_part_item *out)
{
    if (!r || !out) return POS_EINVAL;
    if (item < 0 || item >= r->f.n_items) return POS_ERANGE;
    const item_state *it = &r->items[item];
    *out = (pos_part_item){it->started, it->n_entries, it->mark == r->stamp};
    return POS_OK;
}

int pos_part_reader_begin(pos_part_reader *r, int32_t item, int64_t line)
{
    if (!r || line < 1) return POS_EINVAL;
    if (item != -2 && (item < 0 || item >= r->f.n_items)) return POS_ERANGE;
    if (item >= 0 && r->items[item].started != 0) return POS_ESTATE;
    if (item >= 0) {
        r->items[item].started = line;
        r->items[item].first = r->n;
    }
    r->current = item;
    r->has_last = 0;
    if (++r->stamp == 0) {   /* wrapped: clear the marks */
        for (int32_t i = 0; i < r->f.n_items; i++) r->items[i].mark = 0;
        r->stamp = 1;
    }
    return POS_OK;
}

int pos_part_reader_add(pos_part_reader *r, int32_t item, const pos_part_entry *e)
{
    if (!r || !e) return POS_EINVAL;
    if (item < 0 || item >= r->f.n_items || e->item < 0 || e->item >= r->f.n_items)
        return POS_ERANGE;
    if (item != r->current || r->items[item].n_entries >= r->f.top_n) return POS_ESTATE;
    if (r->n == r->cap) {
        int64_t cap = r->cap ? r->cap * 2 : 1024;
        pos_part_entry *x = realloc(r->entries, (size_t)cap * sizeof *x);
        if (!x) return POS_ENOMEM;
        r->entries = x;
        r->cap = cap;
    }
    r->entries[r->n++] = *e;
    r->items[item].n_entries++;
    r->items[e->item].mark = r->stamp;
    r->has_last = 1;
    r->last_score = e->score;
    return POS_OK;
}

int pos_part_reader_lists(const pos_part_reader *r, int64_t *offsets, pos_part_entry *entries)
{
    if (!r || !offsets || (!entries && r->n > 0)) return POS_EINVAL;
    int64_t at = 0;
    offsets[0] = 0;
    for (int32_t i = 0; i < r->f.n_items; i++) {
        int32_t k = r->items[i].n_entries;
        if (k > 0)
            memcpy(entries + at, r->entries + r->items[i].first, (size_t)k * sizeof *entries);
        at += k;
        offsets[i + 1] = at;
    }
    return POS_OK;
}

int pos_part_reader_restore(const pos_part_reader *r, pos_miner *miner, int64_t baskets,
                            double weight, double s, const int64_t *counts,
                            const double *weights)
{
    if (!r || !miner) return POS_EINVAL;
    size_t n = (size_t)r->f.n_items + 1;
    int64_t *first = malloc(n * sizeof *first);
    int32_t *lengths = malloc(n * sizeof *lengths);
    int status = POS_ENOMEM;
    if (first && lengths) {
        for (int32_t i = 0; i < r->f.n_items; i++) {
            first[i] = r->items[i].n_entries ? r->items[i].first : 0;
            lengths[i] = r->items[i].n_entries;
        }
        status = pos_miner_restore_lists(miner, baskets, weight, s, counts, weights, first,
                                         lengths, r->entries);
    }
    free(first);
    free(lengths);
    return status;
}

int pos_part_reader_add_skus(pos_part_reader *r, const char *bytes, const int64_t *ends,
                             const int32_t *items, int64_t n)
{
    if (!r || n < 0 || (n > 0 && (!bytes || !ends || !items))) return POS_EINVAL;
    int64_t at = 0;
    for (int64_t i = 0; i < n; i++) {
        if (ends[i] < at) return POS_EINVAL;
        int status = pos_part_reader_add_sku(r, bytes + at, (size_t)(ends[i] - at), items[i]);
        if (status != POS_OK) return status;
        at = ends[i];
    }
    return POS_OK;
}
