/* parser.c: the basket-history parser (baskets.csv bytes to baskets).
 *
 * Each complete line is split once on the delimiter (RFC 4180 quotes; a
 * quoted field ends on its own line), its used fields are checked, and an
 * accepted line interns its basket id (and customer id) to a dense index and
 * appends (basket, item). The baskets are built lazily as CSR -- counting sort
 * by basket, then each basket's items sorted and de-duplicated -- the first
 * time the stats or the baskets are asked for after new lines.
 *
 * The checks of a line, in order; the first one failing is the line's problem:
 *   1. quotes (POS_ROW_QUOTE), then the field count (POS_ROW_FIELD_COUNT);
 *   2. UTF-8, only when the line has a byte >= 0x80 (POS_ROW_ENCODING);
 *   3. the used fields, left to right by column: length over 255 bytes
 *      (POS_ROW_TOO_LONG), empty when required (POS_ROW_EMPTY), then the sku
 *      in the catalog, the quantity a number > 0, the timestamp ISO 8601 and
 *      within the limits' time window (POS_ROW_TOO_EARLY, POS_ROW_TOO_LATE);
 *   4. the quantity against the ceiling of its item's unit (POS_ROW_QUANTITY_MAX;
 *      the item is known once the sku is looked up), unless an earlier column
 *      had a problem;
 *   5. the customer against the one the basket's earlier lines recorded.
 * Columns the parser does not use are only counted (no length limit).
 * A quote inside an unquoted field is taken literally (as Python's csv does);
 * after a closing quote only the delimiter or the end of the line may follow.
 * Whitespace around a value is dropped (ids too), as the other files' reader does.
 *
 * Speed: lines go through in batches of BATCH; the first pass over a batch
 * splits and checks each line and prefetches the hash-table slots its ids
 * will need, the second pass does the lookups and inserts in file order.
 * Consecutive lines usually share a basket and a timestamp: both are cached.
 */
#include "pos_core.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIELD_MAX 255
#define COLUMNS_MAX 65536
#define INDEX_MAX 0x7ffffffe /* dense indexes are int32 (and index + 1 fits a slot) */

#if defined(__GNUC__)
#define PREFETCH(addr) __builtin_prefetch(addr)
#else
#define PREFETCH(addr) ((void)(addr))
#endif

enum { R_NONE, R_BASKET, R_SKU, R_QUANTITY, R_TIMESTAMP, R_CUSTOMER, R_COUNT };

/* ---- growable arrays ----------------------------------------------------- */

/* Grows *p (elements of `elem` bytes, capacity *cap) to hold at least `need`. */
static int grow(void **p, size_t elem, size_t *cap, size_t need)
{
    if (need <= *cap)
        return POS_OK;
    size_t n = *cap ? *cap : 16;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return POS_EOVERFLOW;
        n *= 2;
    }
    if (n > SIZE_MAX / elem)
        return POS_EOVERFLOW;
    void *q = realloc(*p, n * elem);
    if (!q)
        return POS_ENOMEM;
    *p = q;
    *cap = n;
    return POS_OK;
}

#define RESERVE(status, arr, cap, need)                                    \
    do {                                                                   \
        void *p_ = (arr);                                                  \
        (status) = grow(&p_, sizeof *(arr), &(cap), (need));               \
        (arr) = p_;                                                        \
    } while (0)

/* ---- hashing and interning ----------------------------------------------- */

static inline uint64_t hash_mix(uint64_t h, uint64_t w)
{
    h ^= w * 0x9e3779b97f4a7c15ULL;
    h = (h << 29 | h >> 35) * 0xbf58476d1ce4e5b9ULL;
    return h;
}

static inline uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 0x243f6a8885a308d3ULL ^ ((uint64_t)n * 0xff51afd7ed558ccdULL);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = hash_mix(h, w);
        p += 8;
        n -= 8;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, p, n);
        h = hash_mix(h, w);
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Equality of two short byte strings without a library call. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    if (n >= 8) {
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            if (x != y)
                return 0;
        }
        if (i < n) {
            memcpy(&x, a + n - 8, 8);
            memcpy(&y, b + n - 8, 8);
            return x == y;
        }
        return 1;
    }
    if (n >= 4) {
        uint32_t u, v, w, z;
        memcpy(&u, a, 4);
        memcpy(&v, b, 4);
        memcpy(&w, a + n - 4, 4);
        memcpy(&z, b + n - 4, 4);
        return u == v && w == z;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* Keys (1..255 bytes) interned to dense indexes 0..n-1 in order of insertion;
 * key i is bytes[offs[i] .. offs[i+1]). Open addressing with linear probing,
 * load <= 3/4. A slot holds a tag (24 hash bits and the key's length), index
 * + 1 (0 = empty) and the key's first INLINE_KEY bytes (zero-padded), so a
 * key of up to INLINE_KEY bytes is found or refuted with its slots alone.
 * (8 bytes measured best: wider slots cost more in memory than they save.) */
#define INLINE_WORDS 1
#define INLINE_KEY (8 * INLINE_WORDS)

typedef struct {
    uint32_t tag;
    uint32_t index1;
    uint64_t key[INLINE_WORDS];
} slot;

typedef struct {
    slot *slots;
    size_t n_slots; /* a power of two, or 0 */
    size_t n;
    char *bytes;
    size_t bytes_len, bytes_cap;
    size_t *offs;
    size_t offs_cap;
} table;

static inline uint32_t key_tag(uint64_t h, size_t len)
{
    return ((uint32_t)(h >> 32) & 0xffffff00u) | (uint32_t)len;
}

static inline void key_inline(const char *key, size_t len, uint64_t w[INLINE_WORDS])
{
    char b[INLINE_KEY] = {0};
    memcpy(b, key, len < INLINE_KEY ? len : INLINE_KEY);
    memcpy(w, b, INLINE_KEY);
}

static inline int slot_matches(const slot *s, uint32_t tag, const uint64_t w[INLINE_WORDS])
{
    int same = s->tag == tag;
    for (int j = 0; j < INLINE_WORDS; j++)
        same &= s->key[j] == w[j];
    return same;
}

/* Walks the probe sequence of a key: the first slot matching its tag, length
 * and inline bytes. With verify, a key longer than a slot holds must also match
 * in its tail (the exact lookup); without, the first such slot is a likely
 * candidate. -1: none. */
static inline int64_t table_probe(const table *t, const char *key, size_t len, uint64_t h,
                                  int verify)
{
    if (!t->n_slots)
        return -1;
    size_t mask = t->n_slots - 1, i = (size_t)h & mask;
    uint32_t tag = key_tag(h, len);
    uint64_t w[INLINE_WORDS];
    key_inline(key, len, w);
    for (;;) {
        const slot *s = &t->slots[i];
        if (!s->index1)
            return -1;
        if (slot_matches(s, tag, w)) {
            size_t k = s->index1 - 1;
            if (!verify || len <= INLINE_KEY ||
                same_bytes(t->bytes + t->offs[k] + INLINE_KEY, key + INLINE_KEY,
                           len - INLINE_KEY))
                return (int64_t)k;
        }
        i = (i + 1) & mask;
    }
}

static int64_t table_find(const table *t, const char *key, size_t len, uint64_t h)
{
    return table_probe(t, key, len, h, 1);
}

static int64_t table_candidate(const table *t, const char *key, size_t len, uint64_t h)
{
    return table_probe(t, key, len, h, 0);
}

static void table_place(slot *slots, size_t n_slots, const char *key, size_t len,
                        uint64_t h, size_t k)
{
    size_t mask = n_slots - 1, i = (size_t)h & mask;
    while (slots[i].index1)
        i = (i + 1) & mask;
    slots[i].tag = key_tag(h, len);
    slots[i].index1 = (uint32_t)(k + 1);
    key_inline(key, len, slots[i].key);
}

/* Makes room for one more key of `len` bytes; after POS_OK, table_add cannot fail. */
static int table_reserve(table *t, size_t len)
{
    int st;
    if (t->n >= INDEX_MAX)
        return POS_EOVERFLOW;
    RESERVE(st, t->bytes, t->bytes_cap, t->bytes_len + len);
    if (st)
        return st;
    RESERVE(st, t->offs, t->offs_cap, t->n + 2);
    if (st)
        return st;
    if ((t->n + 1) * 4 > t->n_slots * 3) {
        size_t ns = t->n_slots ? t->n_slots * 2 : 64;
        if (ns > SIZE_MAX / sizeof(slot))
            return POS_EOVERFLOW;
        /* malloc + memset, not calloc: the pages are written at once rather
         * than mapped to the zero page and copied on the first insert */
        slot *slots = malloc(ns * sizeof *slots);
        if (!slots)
            return POS_ENOMEM;
        memset(slots, 0, ns * sizeof *slots);
        /* in groups whose new slots are prefetched first: the writes are random */
        uint64_t h[32];
        for (size_t k0 = 0; k0 < t->n; k0 += 32) {
            size_t m = t->n - k0 < 32 ? t->n - k0 : 32;
            for (size_t j = 0; j < m; j++) {
                size_t o = t->offs[k0 + j];
                h[j] = hash_bytes(t->bytes + o, t->offs[k0 + j + 1] - o);
                PREFETCH(&slots[(size_t)h[j] & (ns - 1)]);
            }
            for (size_t j = 0; j < m; j++) {
                size_t o = t->offs[k0 + j];
                table_place(slots, ns, t->bytes + o, t->offs[k0 + j + 1] - o, h[j], k0 + j);
            }
        }
        free(t->slots);
        t->slots = slots;
        t->n_slots = ns;
    }
    return POS_OK;
}

static int32_t table_add(table *t, const char *key, size_t len, uint64_t h)
{
    size_t k = t->n;
    if (k == 0)
        t->offs[0] = 0;
    memcpy(t->bytes + t->bytes_len, key, len);
    t->bytes_len += len;
    t->offs[k + 1] = t->bytes_len;
    table_place(t->slots, t->n_slots, key, len, h, k);
    t->n = k + 1;
    return (int32_t)k;
}

static void table_free(table *t)
{
    free(t->slots);
    free(t->bytes);
    free(t->offs);
}

static int table_key(const table *t, int64_t index, char *buf, size_t cap, size_t *len_out)
{
    if (!len_out || (cap && !buf))
        return POS_EINVAL;
    if (index < 0 || (uint64_t)index >= t->n)
        return POS_ERANGE;
    size_t o = t->offs[index], len = t->offs[index + 1] - o;
    *len_out = len;
    if (buf && len <= cap)
        memcpy(buf, t->bytes + o, len);
    return POS_OK;
}

/* ---- the parser state ------------------------------------------------------ */

typedef struct {
    size_t start, end; /* raw field in the line (quotes included) */
    int quoted, doubled;
    const char *v;     /* value: unquoted, trimmed, "" undone */
    size_t n;
} field;

/* A line between the two passes over a batch of lines. */
typedef struct {
    size_t start, end;       /* the line in the chunk, terminator excluded */
    int64_t line_no;
    int32_t code, column;    /* its problem so far (code 0: none) */
    int64_t fs, fe, detail;  /* the problem's field range in the chunk, detail */
    int sku_ready;           /* the sku passed pass 1: look it up */
    int64_t sku_index;       /* its index in the sku table, or -1 */
    int basket_hashed;
    uint64_t sku_hash, basket_hash, customer_hash;
    int64_t time;            /* UTC */
    double quantity;         /* its value, once it parsed as a number > 0 */
    int quantity_ok;
    field fl[R_COUNT];
    char scratch[R_COUNT][FIELD_MAX + 1]; /* values with "" undone */
} line_state;

#define BATCH 32

struct pos_parser {
    pos_basket_format fmt; /* tz pointers point at the copies below */
    int64_t *tz_start;
    int32_t *tz_offset;
    unsigned char *roles;  /* per column: R_* */
    int32_t col[R_COUNT];  /* per role: its column, -1 when absent */
    int order[R_COUNT];    /* the roles present, by column */
    int n_order;
    char delim;

    table skus;
    int32_t *sku_item;
    size_t sku_item_cap;

    table baskets;
    int64_t *basket_time;
    int32_t *basket_customer;
    size_t basket_time_cap, basket_customer_cap;

    table customers;

    int32_t *line_basket;
    int32_t *line_item;
    size_t n_lines, line_basket_cap, line_item_cap;

    pos_row_error *errors;
    size_t n_errors, errors_cap;

    int64_t line_no; /* number of the next line */
    int64_t lines_seen, lines_ok, min_time, max_time;

    /* the previous timestamp field (parsed fine) and basket id (accepted) */
    char last_ts[FIELD_MAX];
    size_t last_ts_len;
    int64_t last_ts_time;
    int last_ts_valid;
    char last_basket[FIELD_MAX];
    size_t last_basket_len;
    int32_t last_basket_index; /* -1: none */

    /* baskets as CSR, built lazily; valid while no line was added since */
    int csr_valid;
    int64_t *csr_offsets;
    int32_t *csr_items;
    int64_t csr_n_items;

    /* plausibility limits (pos_parser_set_limits); none until set */
    int64_t time_min, time_max;
    double quantity_max, weight_max;
    int32_t *weighed;      /* sorted item indexes */
    int32_t n_weighed;

    line_state batch[BATCH];
};

int pos_parser_new(const pos_basket_format *format, pos_parser **out)
{
    if (!format || !out)
        return POS_EINVAL;
    *out = NULL;
    const pos_basket_format *f = format;
    if (f->delimiter != ',' && f->delimiter != ';' && f->delimiter != '\t')
        return POS_EINVAL;
    if (f->n_columns < 1 || f->n_columns > COLUMNS_MAX || f->n_tz < 0)
        return POS_EINVAL;
    if (f->n_tz > 0 && (!f->tz_local_start || !f->tz_offset))
        return POS_EINVAL;
    for (int32_t i = 0; i < f->n_tz; i++) {
        if (f->tz_offset[i] <= -86400 || f->tz_offset[i] >= 86400)
            return POS_EINVAL;
        if (i > 0 && f->tz_local_start[i] <= f->tz_local_start[i - 1])
            return POS_EINVAL;
    }
    int32_t cols[R_COUNT] = {-1, f->col_basket, f->col_sku, f->col_quantity,
                             f->col_timestamp, f->col_customer};
    for (int r = 1; r < R_COUNT; r++) {
        if (cols[r] < -1 || cols[r] >= f->n_columns || (r != R_CUSTOMER && cols[r] < 0))
            return POS_EINVAL;
        for (int s = 1; s < r; s++)
            if (cols[r] >= 0 && cols[r] == cols[s])
                return POS_EINVAL;
    }

    pos_parser *p = calloc(1, sizeof *p);
    if (!p)
        return POS_ENOMEM;
    p->roles = calloc((size_t)f->n_columns, 1);
    if (f->n_tz > 0) {
        p->tz_start = malloc((size_t)f->n_tz * sizeof *p->tz_start);
        p->tz_offset = malloc((size_t)f->n_tz * sizeof *p->tz_offset);
    }
    if (!p->roles || (f->n_tz > 0 && (!p->tz_start || !p->tz_offset))) {
        pos_parser_free(p);
        return POS_ENOMEM;
    }
    p->fmt = *f;
    if (f->n_tz > 0) {
        memcpy(p->tz_start, f->tz_local_start, (size_t)f->n_tz * sizeof *p->tz_start);
        memcpy(p->tz_offset, f->tz_offset, (size_t)f->n_tz * sizeof *p->tz_offset);
    }
    p->fmt.tz_local_start = p->tz_start;
    p->fmt.tz_offset = p->tz_offset;
    p->delim = (char)f->delimiter;
    memcpy(p->col, cols, sizeof cols);
    for (int r = 1; r < R_COUNT; r++)
        if (cols[r] >= 0)
            p->roles[cols[r]] = (unsigned char)r;
    for (int32_t c = 0; c < f->n_columns; c++)
        if (p->roles[c])
            p->order[p->n_order++] = p->roles[c];
    p->line_no = f->first_line;
    p->last_basket_index = -1;
    p->time_min = INT64_MIN;
    p->time_max = INT64_MAX;
    p->quantity_max = HUGE_VAL;
    p->weight_max = HUGE_VAL;
    *out = p;
    return POS_OK;
}

void pos_parser_free(pos_parser *p)
{
    if (!p)
        return;
    free(p->tz_start);
    free(p->tz_offset);
    free(p->roles);
    table_free(&p->skus);
    free(p->sku_item);
    table_free(&p->baskets);
    free(p->basket_time);
    free(p->basket_customer);
    table_free(&p->customers);
    free(p->line_basket);
    free(p->line_item);
    free(p->errors);
    free(p->csr_offsets);
    free(p->csr_items);
    free(p->weighed);
    free(p);
}

static int compare_int32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

int pos_parser_set_limits(pos_parser *p, const pos_basket_limits *limits)
{
    if (!p || !limits || limits->time_min > limits->time_max || limits->n_weighed < 0 ||
        (limits->n_weighed > 0 && !limits->weighed))
        return POS_EINVAL;
    /* written so that NaN fails too */
    if (!(limits->quantity_max > 0) || !(limits->weight_max > 0))
        return POS_EINVAL;
    int32_t *weighed = NULL;
    if (limits->n_weighed > 0) {
        weighed = malloc((size_t)limits->n_weighed * sizeof *weighed);
        if (!weighed)
            return POS_ENOMEM;
        memcpy(weighed, limits->weighed, (size_t)limits->n_weighed * sizeof *weighed);
        qsort(weighed, (size_t)limits->n_weighed, sizeof *weighed, compare_int32);
    }
    free(p->weighed);
    p->weighed = weighed;
    p->n_weighed = limits->n_weighed;
    p->time_min = limits->time_min;
    p->time_max = limits->time_max;
    p->quantity_max = limits->quantity_max;
    p->weight_max = limits->weight_max;
    return POS_OK;
}

/* The quantity ceiling of an item: its unit's (weighed or counted). */
static double quantity_ceiling(const pos_parser *p, int32_t item)
{
    if (p->n_weighed > 0 &&
        bsearch(&item, p->weighed, (size_t)p->n_weighed, sizeof item, compare_int32))
        return p->weight_max;
    return p->quantity_max;
}

int pos_parser_add_sku(pos_parser *p, const char *sku, size_t len, int32_t item)
{
    if (!p || !sku || len == 0 || len > FIELD_MAX || item < 0)
        return POS_EINVAL;
    uint64_t h = hash_bytes(sku, len);
    if (table_find(&p->skus, sku, len, h) >= 0)
        return POS_EINVAL;
    int st = table_reserve(&p->skus, len);
    if (st)
        return st;
    RESERVE(st, p->sku_item, p->sku_item_cap, p->skus.n + 1);
    if (st)
        return st;
    p->sku_item[table_add(&p->skus, sku, len, h)] = item;
    return POS_OK;
}

/* ---- field checks ---------------------------------------------------------- */

static inline int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Whitespace at the ends of a value is dropped (as the other files' reader
 * does with str.strip()): ASCII whitespace, 0x1c-0x1f and U+00A0. */
static inline int is_space_at(const char *s, size_t n, size_t i, size_t *width)
{
    unsigned char c = (unsigned char)s[i];
    *width = 1;
    if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f))
        return 1;
    if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0) {
        *width = 2;
        return 1;
    }
    return 0;
}

static void trim_ws(const char **s, size_t *n)
{
    size_t w;
    if (*n) { /* the usual case: a printable ASCII byte at both ends */
        unsigned char a = (unsigned char)(*s)[0], z = (unsigned char)(*s)[*n - 1];
        if (a > ' ' && a < 0x80 && z > ' ' && z < 0x80)
            return;
    }
    while (*n && is_space_at(*s, *n, 0, &w)) {
        *s += w;
        *n -= w;
    }
    while (*n) {
        if (is_space_at(*s, *n, *n - 1, &w))
            (*n)--;
        else if (*n >= 2 && (unsigned char)(*s)[*n - 2] == 0xc2 &&
                 (unsigned char)(*s)[*n - 1] == 0xa0)
            *n -= 2;
        else
            break;
    }
}

/* A quantity: 1 = a number > 0, 0 = a number <= 0, -1 = not a number; *value
 * is the number's value (as a double, so 10^20 is just big) when it is one.
 * The rule of the dump's numbers (as pos.dump.fields.parse_decimal): spaces
 * and no-break spaces inside are ignored; an optional sign; digit runs joined
 * by single '.' or ','. The last separator is the decimal one and any before
 * it group thousands (first run 1-3 digits, the others exactly 3) -- unless
 * the last separator also appears before it: then every separator groups
 * thousands (1,234,567) and the last run must have 3 digits too. A single
 * separator may have no digits before it (.5) but needs some after it. */
static int parse_quantity(const char *s, size_t n, double *value)
{
    trim_ws(&s, &n);
    double digits = 0;
    int negative = 0, nonzero = 0, started = 0;
    size_t k = 0, first_run = 0, run = 0, dots = 0, commas = 0;
    int middle_bad = 0;
    char last_sep = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ')
            continue;
        if ((unsigned char)c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0) {
            i++;
            continue;
        }
        if (is_digit(c)) {
            run++;
            nonzero |= c != '0';
            digits = digits * 10 + (c - '0');
        } else if (c == '.' || c == ',') {
            if (k == 0)
                first_run = run;
            else if (run == 0)
                return -1;
            else if (run != 3)
                middle_bad = 1; /* a run between two separators */
            k++;
            run = 0;
            last_sep = c;
            if (c == '.')
                dots++;
            else
                commas++;
        } else if ((c == '+' || c == '-') && !started) {
            negative = c == '-';
        } else {
            return -1;
        }
        started = 1;
    }
    if (k == 0) {
        *value = negative ? -digits : digits;
        return run ? (nonzero && !negative) : -1;
    }
    if (run == 0)
        return -1;
    int grouping = (last_sep == '.' ? dots : commas) >= 2; /* no decimal separator */
    if (k >= 2) {
        if (first_run < 1 || first_run > 3 || middle_bad)
            return -1;
        if (grouping && run != 3)
            return -1;
    }
    if (!grouping)
        for (size_t i = 0; i < run; i++)
            digits /= 10;
    *value = negative ? -digits : digits;
    return nonzero && !negative;
}

static inline int two_digits(const char *s)
{
    if (!is_digit(s[0]) || !is_digit(s[1]))
        return -1;
    return (s[0] - '0') * 10 + (s[1] - '0');
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* An ISO 8601 time (as pos.dump.fields.parse_time): YYYY-MM-DD, optionally
 * followed by 'T' or ' ' and HH:MM[:SS[.fraction]] (',' may start the
 * fraction), optionally followed by Z, +HH:MM, +HHMM or +HH. A leap second
 * 60 becomes 59. *secs = seconds since the epoch of the time as written,
 * *naive = 1 when it has no offset (then *secs is local time).
 * 0 = fine, -1 = not a time. */
static int parse_time(const char *s, size_t n, int64_t *secs, int *naive)
{
    trim_ws(&s, &n);
    if (n < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int y = 0;
    for (int k = 0; k < 4; k++) {
        if (!is_digit(s[k]))
            return -1;
        y = y * 10 + (s[k] - '0');
    }
    int mo = two_digits(s + 5), d = two_digits(s + 8);
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return -1;
    int64_t t = days_from_civil(y, mo, d) * 86400;
    size_t i = 10;
    if (i < n && (s[i] == 'T' || s[i] == ' ')) {
        if (n - i < 6 || s[i + 3] != ':')
            return -1;
        int hh = two_digits(s + i + 1), mm = two_digits(s + i + 4);
        if (hh < 0 || hh > 23 || mm < 0 || mm > 59)
            return -1;
        t += hh * 3600 + mm * 60;
        i += 6;
        if (i < n && s[i] == ':') {
            if (n - i < 3)
                return -1;
            int ss = two_digits(s + i + 1);
            if (ss < 0 || ss > 60)
                return -1;
            t += ss == 60 ? 59 : ss;
            i += 3;
            if (i < n && (s[i] == '.' || s[i] == ',')) {
                size_t start = ++i;
                while (i < n && is_digit(s[i]))
                    i++;
                if (i == start)
                    return -1;
            }
        }
    }
    *naive = 1;
    if (i < n && s[i] == 'Z') {
        *naive = 0;
        i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        int sign = s[i] == '-' ? -1 : 1;
        if (n - i < 3)
            return -1;
        int oh = two_digits(s + i + 1), om = 0;
        if (oh < 0 || oh > 23)
            return -1;
        i += 3;
        if (i < n) {
            if (s[i] == ':')
                i++;
            if (n - i < 2 || (om = two_digits(s + i)) < 0 || om > 59)
                return -1;
            i += 2;
        }
        t -= sign * (oh * 3600 + om * 60);
        *naive = 0;
    }
    if (i != n)
        return -1;
    *secs = t;
    return 0;
}

/* Local time to UTC with the store's table (largest start <= local). */
static int64_t local_to_utc(const pos_parser *p, int64_t local)
{
    int32_t n = p->fmt.n_tz;
    if (n == 0)
        return local;
    int32_t lo = 0, hi = n; /* answer in [lo, hi): first start > local is hi */
    while (hi - lo > 1) {
        int32_t mid = lo + (hi - lo) / 2;
        if (p->tz_start[mid] <= local)
            lo = mid;
        else
            hi = mid;
    }
    return local - p->tz_offset[lo];
}

/* Offset of the first byte of an invalid UTF-8 sequence in s[0..n), or -1.
 * Overlong forms, surrogates and code points over U+10FFFF are invalid. */
static int64_t utf8_invalid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf)
            need = 1;
        else if (c == 0xe0)
            need = 2, lo = 0xa0;
        else if (c == 0xed)
            need = 2, hi = 0x9f;
        else if (c >= 0xe1 && c <= 0xef)
            need = 2;
        else if (c == 0xf0)
            need = 3, lo = 0x90;
        else if (c == 0xf4)
            need = 3, hi = 0x8f;
        else if (c >= 0xf1 && c <= 0xf3)
            need = 3;
        else
            return (int64_t)i;
        if (n - i - 1 < need || s[i + 1] < lo || s[i + 1] > hi)
            return (int64_t)i;
        for (size_t k = 2; k <= need; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return (int64_t)i;
        i += need + 1;
    }
    return -1;
}

static inline int has_high_byte(const char *s, size_t n)
{
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        acc |= w;
    }
    for (; i < n; i++)
        acc |= (unsigned char)s[i];
    return (acc & 0x8080808080808080ULL) != 0;
}

/* ---- lines ----------------------------------------------------------------- */

/* Column and range of the first field of a (well-quoted) line holding invalid
 * UTF-8, with the offset of the bad byte in the line. */
static int find_encoding_error(const char *line, size_t n, char delim, int32_t *column,
                               size_t *fs, size_t *fe, int64_t *bad)
{
    size_t i = 0;
    for (int32_t f = 0;; f++) {
        size_t start = i;
        if (i < n && line[i] == '"') {
            for (i++; i < n; i++) {
                if (line[i] == '"') {
                    if (i + 1 < n && line[i + 1] == '"')
                        i++;
                    else {
                        i++;
                        break;
                    }
                }
            }
        } else {
            while (i < n && line[i] != delim)
                i++;
        }
        int64_t b = utf8_invalid((const unsigned char *)line + start, i - start);
        if (b >= 0) {
            *column = f;
            *fs = start;
            *fe = i;
            *bad = (int64_t)start + b;
            return 1;
        }
        if (i >= n)
            return 0;
        i++;
    }
}

static inline void set_problem(line_state *L, int32_t code, int32_t column, int64_t fs,
                               int64_t fe, int64_t detail)
{
    L->code = code;
    L->column = column;
    L->fs = fs;
    L->fe = fe;
    L->detail = detail;
}

static inline void table_prefetch(const table *t, uint64_t h)
{
    if (t->n_slots)
        PREFETCH(&t->slots[(size_t)h & (t->n_slots - 1)]);
}

/* Pass 1 over a line: everything that needs no table, and the hashes of the
 * ids, whose slots it prefetches. Stops at the line's first problem. */
static void prepare_line(pos_parser *p, const char *buf, line_state *L)
{
    const size_t ls = L->start;
    const char *line = buf + ls;
    const size_t n = L->end - ls;
    const char delim = p->delim;
    const int32_t n_columns = p->fmt.n_columns;
    field *fl = L->fl;
    size_t i = 0;
    int64_t fields = 0;
    L->code = 0;
    L->sku_ready = 0;
    L->basket_hashed = 0;
    L->quantity_ok = 0;

    /* 1. split */
    for (;;) {
        size_t start = i;
        int quoted = 0, doubled = 0;
        if (i < n && line[i] == '"') {
            quoted = 1;
            i++;
            for (;;) {
                const char *q = memchr(line + i, '"', n - i);
                if (!q) {
                    set_problem(L, POS_ROW_QUOTE, fields < n_columns ? (int32_t)fields : -1,
                                (int64_t)(ls + start), (int64_t)L->end, -1);
                    return;
                }
                i = (size_t)(q - line) + 1;
                if (i < n && line[i] == '"') {
                    doubled = 1;
                    i++;
                    continue;
                }
                break;
            }
            if (i < n && line[i] != delim) {
                const char *d = memchr(line + i, delim, n - i);
                size_t end = d ? (size_t)(d - line) : n;
                set_problem(L, POS_ROW_QUOTE, fields < n_columns ? (int32_t)fields : -1,
                            (int64_t)(ls + start), (int64_t)(ls + end), (int64_t)(ls + i));
                return;
            }
        } else {
            while (i < n && line[i] != delim)
                i++;
        }
        if (fields < n_columns) {
            unsigned r = p->roles[fields];
            if (r) {
                fl[r].start = start;
                fl[r].end = i;
                fl[r].quoted = quoted;
                fl[r].doubled = doubled;
            }
        }
        fields++;
        if (i >= n)
            break;
        i++;
    }
    if (fields != n_columns) {
        set_problem(L, POS_ROW_FIELD_COUNT, -1, -1, -1, fields);
        return;
    }

    /* 2. encoding */
    if (has_high_byte(line, n)) {
        int32_t column;
        size_t fs, fe;
        int64_t bad;
        if (find_encoding_error(line, n, delim, &column, &fs, &fe, &bad)) {
            set_problem(L, POS_ROW_ENCODING, column, (int64_t)(ls + fs), (int64_t)(ls + fe),
                        (int64_t)ls + bad);
            return;
        }
    }

    /* 3. the used fields, by column (the sku's lookup waits for pass 2) */
    for (int k = 0; k < p->n_order; k++) {
        int r = p->order[k];
        field *f = &fl[r];
        int32_t column = p->col[r];
        int64_t fs = (int64_t)(ls + f->start), fe = (int64_t)(ls + f->end);
        f->v = line + f->start + f->quoted;
        f->n = f->end - f->start - 2 * (size_t)f->quoted;
        trim_ws(&f->v, &f->n);
        if (f->doubled) {
            size_t o = 0;
            for (size_t j = 0; j < f->n && o <= FIELD_MAX; j++) {
                L->scratch[r][o++] = f->v[j];
                if (f->v[j] == '"')
                    j++;
            }
            f->v = L->scratch[r];
            f->n = o;
        }
        if (f->n > FIELD_MAX) {
            set_problem(L, POS_ROW_TOO_LONG, column, fs, fe, -1);
            return;
        }
        if (f->n == 0) {
            if (r == R_CUSTOMER)
                continue;
            set_problem(L, POS_ROW_EMPTY, column, fs, fe, -1);
            return;
        }
        if (r == R_SKU) {
            L->sku_hash = hash_bytes(f->v, f->n);
            table_prefetch(&p->skus, L->sku_hash);
            L->sku_ready = 1;
        } else if (r == R_QUANTITY) {
            int q = parse_quantity(f->v, f->n, &L->quantity);
            if (q <= 0) {
                set_problem(L, q < 0 ? POS_ROW_QUANTITY : POS_ROW_QUANTITY_SIGN, column,
                            fs, fe, -1);
                return;
            }
            L->quantity_ok = 1;
        } else if (r == R_TIMESTAMP) {
            if (p->last_ts_valid && f->n == p->last_ts_len &&
                same_bytes(f->v, p->last_ts, f->n)) {
                L->time = p->last_ts_time;
            } else {
                int naive;
                int64_t time;
                if (parse_time(f->v, f->n, &time, &naive) < 0) {
                    set_problem(L, POS_ROW_TIMESTAMP, column, fs, fe, -1);
                    return;
                }
                if (naive)
                    time = local_to_utc(p, time);
                memcpy(p->last_ts, f->v, f->n);
                p->last_ts_len = f->n;
                p->last_ts_time = time;
                p->last_ts_valid = 1;
                L->time = time;
            }
            if (L->time < p->time_min || L->time > p->time_max) {
                set_problem(L, L->time < p->time_min ? POS_ROW_TOO_EARLY : POS_ROW_TOO_LATE,
                            column, fs, fe, L->time);
                return;
            }
        }
    }

    /* a basket other than the previous line's will be looked up: prefetch */
    const field *bf = &fl[R_BASKET];
    const line_state *prev = L > p->batch ? L - 1 : NULL;
    if (!prev || prev->code || prev->fl[R_BASKET].n != bf->n ||
        !same_bytes(prev->fl[R_BASKET].v, bf->v, bf->n)) {
        L->basket_hash = hash_bytes(bf->v, bf->n);
        L->basket_hashed = 1;
        table_prefetch(&p->baskets, L->basket_hash);
    }
    if (p->col[R_CUSTOMER] >= 0 && fl[R_CUSTOMER].n) {
        L->customer_hash = hash_bytes(fl[R_CUSTOMER].v, fl[R_CUSTOMER].n);
        table_prefetch(&p->customers, L->customer_hash);
    }
}

static int report(pos_parser *p, const line_state *L)
{
    int st;
    RESERVE(st, p->errors, p->errors_cap, p->n_errors + 1);
    if (st)
        return st;
    pos_row_error *e = &p->errors[p->n_errors++];
    e->line = L->line_no;
    e->code = L->code;
    e->column = L->column;
    e->row_start = (int64_t)L->start;
    e->row_end = (int64_t)L->end;
    e->field_start = L->fs;
    e->field_end = L->fe;
    e->detail = L->detail;
    return POS_OK;
}

/* Pass 2 over a line, in file order: the sku, the basket and its customer;
 * then the line is reported or accepted. Returns a status, not a row problem. */
static int finish_line(pos_parser *p, line_state *L)
{
    const size_t ls = L->start;
    int32_t item = -1;
    if (L->sku_ready) {
        /* the sku passed pass 1, so any problem pass 1 found is in a later column */
        const field *f = &L->fl[R_SKU];
        int64_t s = L->sku_index;
        if (s < 0) {
            set_problem(L, POS_ROW_UNKNOWN_SKU, p->col[R_SKU], (int64_t)(ls + f->start),
                        (int64_t)(ls + f->end), -1);
            return report(p, L);
        }
        item = p->sku_item[s];
    }
    if (L->quantity_ok && item >= 0 && (!L->code || L->column > p->col[R_QUANTITY]) &&
        L->quantity > quantity_ceiling(p, item)) {
        const field *f = &L->fl[R_QUANTITY];
        set_problem(L, POS_ROW_QUANTITY_MAX, p->col[R_QUANTITY], (int64_t)(ls + f->start),
                    (int64_t)(ls + f->end), item);
    }
    if (L->code)
        return report(p, L);

    const field *bf = &L->fl[R_BASKET];
    int64_t basket;
    if (p->last_basket_index >= 0 && bf->n == p->last_basket_len &&
        same_bytes(bf->v, p->last_basket, bf->n)) {
        basket = p->last_basket_index;
    } else {
        if (!L->basket_hashed) {
            L->basket_hash = hash_bytes(bf->v, bf->n);
            L->basket_hashed = 1;
        }
        basket = table_find(&p->baskets, bf->v, bf->n, L->basket_hash);
    }
    const field *cf =
        p->col[R_CUSTOMER] >= 0 && L->fl[R_CUSTOMER].n ? &L->fl[R_CUSTOMER] : NULL;
    int64_t customer = -1;
    if (cf) {
        customer = table_find(&p->customers, cf->v, cf->n, L->customer_hash);
        if (basket >= 0) {
            int32_t earlier = p->basket_customer[basket];
            if (earlier >= 0 && earlier != customer) {
                set_problem(L, POS_ROW_CUSTOMER, p->col[R_CUSTOMER],
                            (int64_t)(ls + cf->start), (int64_t)(ls + cf->end), earlier);
                return report(p, L);
            }
        }
    }

    /* accepted: make room for everything first, so a failure changes nothing */
    int st;
    RESERVE(st, p->line_basket, p->line_basket_cap, p->n_lines + 1);
    if (!st)
        RESERVE(st, p->line_item, p->line_item_cap, p->n_lines + 1);
    if (!st && basket < 0) {
        st = table_reserve(&p->baskets, bf->n);
        if (!st)
            RESERVE(st, p->basket_time, p->basket_time_cap, p->baskets.n + 1);
        if (!st)
            RESERVE(st, p->basket_customer, p->basket_customer_cap, p->baskets.n + 1);
    }
    if (!st && cf && customer < 0)
        st = table_reserve(&p->customers, cf->n);
    if (st)
        return st;

    const int64_t time = L->time;
    if (basket < 0) {
        basket = table_add(&p->baskets, bf->v, bf->n, L->basket_hash);
        p->basket_time[basket] = time;
        p->basket_customer[basket] = -1;
    } else if (time < p->basket_time[basket]) {
        p->basket_time[basket] = time;
    }
    if (basket != p->last_basket_index) {
        memcpy(p->last_basket, bf->v, bf->n);
        p->last_basket_len = bf->n;
        p->last_basket_index = (int32_t)basket;
    }
    if (cf) {
        if (customer < 0)
            customer = table_add(&p->customers, cf->v, cf->n, L->customer_hash);
        if (p->basket_customer[basket] < 0)
            p->basket_customer[basket] = (int32_t)customer;
    }
    p->line_basket[p->n_lines] = (int32_t)basket;
    p->line_item[p->n_lines] = item;
    p->n_lines++;
    if (p->lines_ok == 0 || time < p->min_time)
        p->min_time = time;
    if (p->lines_ok == 0 || time > p->max_time)
        p->max_time = time;
    p->lines_ok++;
    p->csr_valid = 0;
    return POS_OK;
}

/* The sku lookups of a batch, in steps over the batch so that the cache
 * misses overlap: the slots (prefetched by pass 1); for a key longer than a
 * slot holds, the candidate's offset and then its bytes; the items last. */
static void lookup_skus(pos_parser *p, size_t nb)
{
    const table *t = &p->skus;
    int long_keys = 0;
    for (size_t k = 0; k < nb; k++) {
        line_state *L = &p->batch[k];
        if (!L->sku_ready)
            continue;
        const field *f = &L->fl[R_SKU];
        int64_t c = table_candidate(t, f->v, f->n, L->sku_hash);
        L->sku_index = c;
        if (c < 0)
            continue;
        if (f->n <= INLINE_KEY) {
            PREFETCH(&p->sku_item[c]);
        } else {
            PREFETCH(&t->offs[c]);
            long_keys = 1;
        }
    }
    if (!long_keys)
        return;
    for (size_t k = 0; k < nb; k++) {
        const line_state *L = &p->batch[k];
        if (L->sku_ready && L->fl[R_SKU].n > INLINE_KEY && L->sku_index >= 0)
            PREFETCH(t->bytes + t->offs[L->sku_index] + INLINE_KEY);
    }
    for (size_t k = 0; k < nb; k++) {
        line_state *L = &p->batch[k];
        const field *f = &L->fl[R_SKU];
        if (!L->sku_ready || f->n <= INLINE_KEY || L->sku_index < 0)
            continue;
        L->sku_index = table_find(t, f->v, f->n, L->sku_hash);
        if (L->sku_index >= 0)
            PREFETCH(&p->sku_item[L->sku_index]);
    }
}

/* Lines go in batches: pass 1 over a whole batch issues the prefetches of
 * the hash-table slots, the sku lookups step through the batch likewise, so
 * that pass 2 finds most of what it reads in cache. */
int pos_parser_feed(pos_parser *p, const char *buf, size_t len, int final, size_t *consumed)
{
    if (!p || !consumed || (!buf && len))
        return POS_EINVAL;
    *consumed = 0;
    p->n_errors = 0;
    size_t pos = 0;
    int more = 1;
    while (more) {
        size_t nb = 0;
        int64_t line_no = p->line_no;
        while (nb < BATCH) {
            if (pos >= len) {
                more = 0;
                break;
            }
            const char *nl = memchr(buf + pos, '\n', len - pos);
            size_t end, next;
            if (nl) {
                end = (size_t)(nl - buf);
                next = end + 1;
            } else if (final) {
                end = next = len;
            } else {
                more = 0;
                break;
            }
            if (end > pos && buf[end - 1] == '\r')
                end--;
            if (end > pos) {
                line_state *L = &p->batch[nb++];
                L->start = pos;
                L->end = end;
                L->line_no = line_no;
                prepare_line(p, buf, L);
            }
            line_no++;
            pos = next;
        }
        lookup_skus(p, nb);
        for (size_t k = 0; k < nb; k++) {
            int st = finish_line(p, &p->batch[k]);
            if (st) {
                *consumed = p->batch[k].start;
                p->line_no = p->batch[k].line_no;
                return st;
            }
            p->lines_seen++;
        }
        p->line_no = line_no;
    }
    *consumed = pos;
    return POS_OK;
}

int pos_parser_errors(const pos_parser *p, pos_row_error *out, size_t cap, size_t *n_out)
{
    if (!p || !n_out || (cap && !out))
        return POS_EINVAL;
    *n_out = p->n_errors;
    size_t n = p->n_errors < cap ? p->n_errors : cap;
    if (n)
        memcpy(out, p->errors, n * sizeof *out);
    return POS_OK;
}

/* ---- baskets --------------------------------------------------------------- */

static int cmp_int32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int build_csr(pos_parser *p)
{
    if (p->csr_valid)
        return POS_OK;
    size_t nb = p->baskets.n, nl = p->n_lines;
    int64_t *off = calloc(nb + 1, sizeof *off);
    int32_t *items = malloc((nl ? nl : 1) * sizeof *items);
    if (!off || !items) {
        free(off);
        free(items);
        return POS_ENOMEM;
    }
    for (size_t l = 0; l < nl; l++)
        off[p->line_basket[l]]++;
    int64_t sum = 0;
    for (size_t b = 0; b < nb; b++) {
        int64_t c = off[b];
        off[b] = sum;
        sum += c;
    }
    for (size_t l = 0; l < nl; l++)
        items[off[p->line_basket[l]]++] = p->line_item[l];
    /* off[b] is now basket b's end: shift to starts */
    for (size_t b = nb; b > 0; b--)
        off[b] = off[b - 1];
    off[0] = 0;
    int64_t w = 0;
    for (size_t b = 0; b < nb; b++) {
        int64_t s = off[b], e = off[b + 1];
        int32_t *it = items + s;
        size_t m = (size_t)(e - s);
        if (m <= 16) {
            for (size_t x = 1; x < m; x++) {
                int32_t v = it[x];
                size_t y = x;
                for (; y > 0 && it[y - 1] > v; y--)
                    it[y] = it[y - 1];
                it[y] = v;
            }
        } else {
            qsort(it, m, sizeof *it, cmp_int32);
        }
        off[b] = w;
        for (size_t x = 0; x < m; x++)
            if (x == 0 || it[x] != it[x - 1])
                items[w++] = it[x];
    }
    off[nb] = w;
    free(p->csr_offsets);
    free(p->csr_items);
    p->csr_offsets = off;
    p->csr_items = items;
    p->csr_n_items = w;
    p->csr_valid = 1;
    return POS_OK;
}

int pos_parser_stats_get(const pos_parser *parser, pos_parser_stats *out)
{
    if (!parser || !out)
        return POS_EINVAL;
    /* the lazily built baskets are a cache: the handle itself is not const */
    pos_parser *p = (pos_parser *)parser;
    int st = build_csr(p);
    if (st)
        return st;
    out->lines = p->lines_seen;
    out->lines_ok = p->lines_ok;
    out->baskets = (int64_t)p->baskets.n;
    out->customers = (int64_t)p->customers.n;
    out->items = p->csr_n_items;
    out->min_time = p->lines_ok ? p->min_time : 0;
    out->max_time = p->lines_ok ? p->max_time : 0;
    return POS_OK;
}

int pos_parser_baskets(const pos_parser *parser, int64_t *offsets, int32_t *items,
                       int64_t *times, int32_t *customers)
{
    if (!parser)
        return POS_EINVAL;
    pos_parser *p = (pos_parser *)parser;
    int st = build_csr(p);
    if (st)
        return st;
    size_t nb = p->baskets.n;
    if (offsets)
        memcpy(offsets, p->csr_offsets, (nb + 1) * sizeof *offsets);
    if (items && p->csr_n_items)
        memcpy(items, p->csr_items, (size_t)p->csr_n_items * sizeof *items);
    if (times && nb)
        memcpy(times, p->basket_time, nb * sizeof *times);
    if (customers && nb)
        memcpy(customers, p->basket_customer, nb * sizeof *customers);
    return POS_OK;
}

int pos_parser_basket_id(const pos_parser *p, int64_t index, char *buf, size_t cap,
                         size_t *len_out)
{
    if (!p)
        return POS_EINVAL;
    return table_key(&p->baskets, index, buf, cap, len_out);
}

int pos_parser_customer_id(const pos_parser *p, int64_t index, char *buf, size_t cap,
                           size_t *len_out)
{
    if (!p)
        return POS_EINVAL;
    return table_key(&p->customers, index, buf, cap, len_out);
}
