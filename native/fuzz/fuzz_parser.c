/* fuzz_parser.c: libFuzzer target for the basket-history parser.
 *
 * The first fuzz bytes become a pos_basket_format (delimiter, column count and
 * roles, first line, a local-time table; now and then an invalid one, which
 * pos_parser_new must refuse with POS_EINVAL), a few catalog skus, a list of
 * chunk sizes and plausibility limits (none, valid ones -- a time window, small
 * quantity and weight ceilings, some skus weighed -- or invalid ones, which
 * pos_parser_set_limits must refuse); the rest is the file. It is parsed twice: once whole in one
 * final feed, once in chunks of the fuzzed sizes (each chunk in a buffer of its
 * exact size, the unconsumed tail of an incomplete line fed again with the next
 * chunk), so line and field boundaries fall on every chunk boundary. Every
 * status is checked, every reported problem must lie inside the chunk it was
 * reported for, the baskets must be well-formed CSR, and both parses must
 * agree on the stats and the baskets; every accepted basket's time lies in the
 * limits' window and every time problem's time outside it. Built and run by scripts/fuzz (CI):
 *   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Inative \
 *       native/fuzz/fuzz_parser.c native/parser.c native/status.c
 */
#include "pos_core.h"
#include "fuzz_bytes.h"

#include <stdlib.h>
#include <string.h>


#define MAX_COLS 7
#define MAX_SKUS 6
#define MAX_SIZES 8

static const char *const SKUS[MAX_SKUS] = {"A", "B", "sku-3", "\"q\"", "Ü4", "x;y"};

typedef struct {
    pos_parser_stats st;
    int64_t *offsets, *times;
    int32_t *items, *customers;
} result_t;

static void result_free(result_t *r)
{
    free(r->offsets);
    free(r->times);
    free(r->items);
    free(r->customers);
}

static const pos_basket_limits *limits;   /* this input's, or NULL */

static void check_errors(const pos_parser *p, size_t len, int32_t n_columns, int64_t first_line)
{
    size_t n = 0;
    if (pos_parser_errors(p, NULL, 0, &n) != POS_OK)
        abort();
    if (n > len + 1)
        abort();
    pos_row_error *e = malloc((n ? n : 1) * sizeof *e);
    size_t n2 = 0;
    if (!e || pos_parser_errors(p, e, n, &n2) != POS_OK || n2 != n)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (e[i].code < POS_ROW_FIELD_COUNT || e[i].code > POS_ROW_QUANTITY_MAX)
            abort();
        if (e[i].code >= POS_ROW_TOO_EARLY && !limits)
            abort();
        if (e[i].code == POS_ROW_TOO_EARLY && e[i].detail >= limits->time_min)
            abort();
        if (e[i].code == POS_ROW_TOO_LATE && e[i].detail <= limits->time_max)
            abort();
        if (e[i].code == POS_ROW_QUANTITY_MAX && (e[i].detail < 0 || e[i].detail >= MAX_SKUS))
            abort();
        if (e[i].line < first_line || e[i].column < -1 || e[i].column >= MAX_COLS + 1)
            abort();
        if (e[i].code != POS_ROW_FIELD_COUNT && e[i].column >= n_columns)
            abort();
        if (e[i].row_start < 0 || e[i].row_start > e[i].row_end || e[i].row_end > (int64_t)len)
            abort();
        if ((e[i].field_start < 0) != (e[i].field_end < 0))
            abort();
        if (e[i].field_start >= 0
            && (e[i].field_start < e[i].row_start || e[i].field_start > e[i].field_end
                || e[i].field_end > e[i].row_end))
            abort();
        if (i > 0 && e[i].line <= e[i - 1].line)
            abort();
    }
    free(e);
}

/* Reads the stats and baskets (twice: the second call reuses the built
 * baskets) and checks them; the caller frees r. */
static void read_result(const pos_parser *p, int32_t n_skus, result_t *r)
{
    if (pos_parser_stats_get(p, &r->st) != POS_OK)
        abort();
    const pos_parser_stats *s = &r->st;
    if (s->lines_ok < 0 || s->lines_ok > s->lines || s->baskets > s->lines_ok
        || s->customers > s->baskets || s->items < s->baskets || s->items > s->lines_ok
        || s->min_time > s->max_time)
        abort();
    r->offsets = malloc((size_t)(s->baskets + 1) * sizeof *r->offsets);
    r->times = malloc((size_t)(s->baskets ? s->baskets : 1) * sizeof *r->times);
    r->items = malloc((size_t)(s->items ? s->items : 1) * sizeof *r->items);
    r->customers = malloc((size_t)(s->baskets ? s->baskets : 1) * sizeof *r->customers);
    if (!r->offsets || !r->times || !r->items || !r->customers)
        abort();
    if (pos_parser_baskets(p, r->offsets, r->items, r->times, r->customers) != POS_OK)
        abort();
    if (pos_parser_baskets(p, r->offsets, NULL, NULL, NULL) != POS_OK)
        abort();
    if (r->offsets[0] != 0 || r->offsets[s->baskets] != s->items)
        abort();
    for (int64_t k = 0; k < s->baskets; k++) {
        if (r->offsets[k + 1] <= r->offsets[k])
            abort();
        for (int64_t j = r->offsets[k]; j < r->offsets[k + 1]; j++)
            if (r->items[j] < 0 || r->items[j] >= n_skus
                || (j > r->offsets[k] && r->items[j] <= r->items[j - 1]))
                abort();
        if (r->times[k] < s->min_time || r->times[k] > s->max_time)
            abort();
        if (limits && (r->times[k] < limits->time_min || r->times[k] > limits->time_max))
            abort();
        if (r->customers[k] < -1 || r->customers[k] >= s->customers)
            abort();
        char id[8];
        size_t len = 0;
        if (pos_parser_basket_id(p, k, id, sizeof id, &len) != POS_OK || len == 0 || len > 255)
            abort();
    }
    for (int64_t c = 0; c < s->customers; c++) {
        size_t len = 0;
        if (pos_parser_customer_id(p, c, NULL, 0, &len) != POS_OK || len == 0 || len > 255)
            abort();
    }
    size_t len = 0;
    if (pos_parser_basket_id(p, s->baskets, NULL, 0, &len) != POS_ERANGE)
        abort();
}

static pos_parser *make_parser(const pos_basket_format *f, int32_t n_skus)
{
    pos_parser *p = NULL;
    if (pos_parser_new(f, &p) != POS_OK)
        abort();   /* checked valid by the caller */
    for (int32_t i = 0; i < n_skus; i++)
        if (pos_parser_add_sku(p, SKUS[i], strlen(SKUS[i]), i) != POS_OK)
            abort();
    if (n_skus > 0 && pos_parser_add_sku(p, SKUS[0], strlen(SKUS[0]), 99) != POS_EINVAL)
        abort();   /* a repeated sku */
    if (limits && pos_parser_set_limits(p, limits) != POS_OK)
        abort();
    return p;
}

/* Feeds buf[0..len) to p, in a heap copy of exactly len bytes. */
static size_t feed(pos_parser *p, const uint8_t *buf, size_t len, int final,
                   int32_t n_columns, int64_t first_line)
{
    char *copy = malloc(len ? len : 1);
    if (!copy)
        abort();
    if (len)
        memcpy(copy, buf, len);
    size_t consumed = (size_t)-1;
    if (pos_parser_feed(p, copy, len, final, &consumed) != POS_OK)
        abort();
    if (consumed > len || (final && consumed != len))
        abort();
    check_errors(p, len, n_columns, first_line);
    free(copy);
    return consumed;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bytes_t b = {data, size};
    uint8_t mode = u8(&b);
    pos_basket_format f = {0};
    f.delimiter = fuzz_delimiter(mode);
    f.n_columns = small(&b, 4, MAX_COLS - 3);
    f.col_basket = -1;
    f.col_sku = -1;
    f.col_quantity = -1;
    f.col_timestamp = -1;
    f.col_customer = -1;
    int32_t *roles[5] = {&f.col_basket, &f.col_sku, &f.col_quantity, &f.col_timestamp,
                         &f.col_customer};
    if (mode & 0x40) {   /* raw column indexes: often invalid */
        for (int r = 0; r < 5; r++)
            *roles[r] = small(&b, -1, MAX_COLS + 2);
    } else {             /* a permutation of the columns, customer optional */
        int32_t perm[MAX_COLS];
        for (int32_t i = 0; i < f.n_columns; i++)
            perm[i] = i;
        for (int32_t i = f.n_columns - 1; i > 0; i--) {
            int32_t j = small(&b, 0, i + 1);
            int32_t t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        for (int r = 0; r < 5; r++)
            *roles[r] = perm[r % f.n_columns];
        if (f.n_columns < 5 || (mode & 0x20))
            f.col_customer = -1;
    }
    f.first_line = small(&b, 1, 4);
    int64_t tz_start[3];
    int32_t tz_offset[3];
    f.n_tz = small(&b, 0, 4);
    for (int32_t i = 0; i < f.n_tz; i++) {
        tz_start[i] = (int64_t)small(&b, -2, 100) * 15000000 + (i ? tz_start[i - 1] : 0);
        tz_offset[i] = small(&b, -5, 11) * 3600;
        if (u8(&b) == 0xff)
            tz_offset[i] = 86400;   /* invalid */
    }
    f.tz_local_start = tz_start;
    f.tz_offset = tz_offset;
    int32_t n_skus = small(&b, 0, MAX_SKUS + 1);
    size_t sizes[MAX_SIZES];
    int32_t n_sizes = small(&b, 1, MAX_SIZES);
    for (int32_t i = 0; i < n_sizes; i++)
        sizes[i] = u8(&b) % 64;   /* 0: an empty feed */
    /* limits: byte 0 none; odd valid; even > 0 invalid (checked once, on a parser) */
    uint8_t lim = u8(&b);
    pos_basket_limits lm = {0};
    int32_t weighed[MAX_SKUS];
    lm.time_min = (int64_t)small(&b, -2, 100) * 20000000;
    lm.time_max = lm.time_min + (int64_t)small(&b, 0, 100) * 20000000;
    lm.quantity_max = small(&b, 1, 40) / 4.0;
    lm.weight_max = small(&b, 1, 40) / 4.0;
    uint8_t mask = u8(&b);
    for (int32_t i = 0; i < MAX_SKUS; i++)
        if (mask & (1u << i))
            weighed[lm.n_weighed++] = i;
    lm.weighed = weighed;
    limits = lim % 2 ? &lm : NULL;

    /* is the format valid? (mirrors pos_parser_new's checks) */
    int valid = f.delimiter != '|';
    for (int r = 0; r < 5; r++) {
        if (*roles[r] < -1 || *roles[r] >= f.n_columns || (r != 4 && *roles[r] < 0))
            valid = 0;
        for (int s = 0; s < r; s++)
            if (*roles[r] >= 0 && *roles[r] == *roles[s])
                valid = 0;
    }
    for (int32_t i = 0; i < f.n_tz; i++)
        if (tz_offset[i] >= 86400 || (i > 0 && tz_start[i] <= tz_start[i - 1]))
            valid = 0;
    if (!valid) {
        pos_parser *p = NULL;
        if (pos_parser_new(&f, &p) != POS_EINVAL || p != NULL)
            abort();
        return 0;
    }
    if (lim && lim % 2 == 0) {   /* an invalid variant of the limits */
        pos_basket_limits bad = lm;
        switch (lim / 2 % 5) {
        case 0: bad.time_max = bad.time_min - 1; break;
        case 1: bad.quantity_max = 0; break;
        case 2: bad.weight_max = -bad.weight_max; break;
        case 3: bad.n_weighed = -1; break;
        default: bad.n_weighed = 1; bad.weighed = NULL; break;
        }
        pos_parser *p = NULL;
        if (pos_parser_new(&f, &p) != POS_OK)
            abort();
        if (pos_parser_set_limits(p, &bad) != POS_EINVAL || pos_parser_set_limits(p, NULL) != POS_EINVAL)
            abort();
        pos_parser_free(p);
        return 0;
    }

    /* one parse, whole */
    pos_parser *whole = make_parser(&f, n_skus);
    feed(whole, b.p, b.n, 1, f.n_columns, f.first_line);
    result_t rw = {0};
    read_result(whole, n_skus, &rw);

    /* the same bytes in chunks; the stats taken midway now and then */
    pos_parser *chunked = make_parser(&f, n_skus);
    size_t pos = 0, pending = 0;   /* data[pos - pending .. pos) not consumed yet */
    for (int32_t i = 0; pos < b.n; i++) {
        size_t step = sizes[i % n_sizes];
        if (step > b.n - pos)
            step = b.n - pos;
        pos += step;
        size_t len = pending + step;
        size_t used = feed(chunked, b.p + pos - len, len, 0, f.n_columns, f.first_line);
        pending = len - used;
        if (step == 0 && i % n_sizes == n_sizes - 1)
            break;   /* every size is 0: go to the final feed */
        if (sizes[i % n_sizes] == 63) {
            pos_parser_stats st;
            if (pos_parser_stats_get(chunked, &st) != POS_OK)
                abort();
        }
    }
    size_t rest = b.n - pos + pending;
    feed(chunked, b.p + b.n - rest, rest, 1, f.n_columns, f.first_line);
    result_t rc = {0};
    read_result(chunked, n_skus, &rc);

    if (memcmp(&rw.st, &rc.st, sizeof rw.st) != 0)
        abort();
    int64_t nb = rw.st.baskets;
    if (memcmp(rw.offsets, rc.offsets, (size_t)(nb + 1) * sizeof *rw.offsets)
        || memcmp(rw.items, rc.items, (size_t)rw.st.items * sizeof *rw.items)
        || memcmp(rw.times, rc.times, (size_t)nb * sizeof *rw.times)
        || memcmp(rw.customers, rc.customers, (size_t)nb * sizeof *rw.customers))
        abort();

    result_free(&rw);
    result_free(&rc);
    pos_parser_free(whole);
    pos_parser_free(chunked);
    return 0;
}
