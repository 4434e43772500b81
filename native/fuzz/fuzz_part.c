/* fuzz_part.c: libFuzzer target for the reader of mined/neighbours.csv
 * (native/part.c) and pos_miner_restore_lists.
 *
 * The first fuzz bytes become a pos_part_format (delimiter, the five columns
 * among up to 7, top_n, shared; now and then an invalid one, which
 * pos_part_reader_new must refuse), the skus registered (some as rejected),
 * each item's baskets, a list of chunk sizes and how the "caller" answers a
 * held row; the rest is the file. It is read twice: whole in one final feed,
 * and in chunks of the fuzzed sizes (each in a buffer of its exact size, the
 * unconsumed tail fed again with the next chunk). A held row is answered the
 * same way in both reads: passed over, or (by its line number) a new list
 * begun and an entry added -- statuses checked, POS_ESTATE allowed. Every held
 * row must lie inside its chunk, both reads must agree on the state and the
 * lists, the lists must be well-formed CSR (counts >= 1, partners in range,
 * at most top_n each), and restoring them into a miner must not fail but with
 * POS_EINVAL / POS_EOVERFLOW. Built and run by scripts/fuzz (CI):
 *   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Inative \
 *       native/fuzz/fuzz_part.c native/part.c native/miner.c native/status.c -lm
 */
#include "pos_core.h"
#include "fuzz_bytes.h"

#include <stdlib.h>
#include <string.h>

#define N_ITEMS 5
#define MAX_SIZES 8

static const char *const SKUS[7] = {"A", "B", "C", "\xc3\x9c", "x;y", "GONE", "Z"};

typedef struct {
    pos_part_reader *reader;   /* kept by the whole read (freed by the caller), else NULL */
    pos_part_state st;
    int64_t offsets[N_ITEMS + 1];
    pos_part_entry *entries;
} result_t;

/* The caller's answer to a held row, by its line: 0 pass over, 1 begin a list
 * of an item and add an entry, 2 begin a text's list. */
static int answer(int64_t line, uint8_t salt)
{
    return (int)(((uint64_t)line * 2654435761u + salt) % 3);
}

static void held_row(pos_part_reader *r, const pos_part_held *h, size_t len, uint8_t salt)
{
    if (h->start < 0 || h->start > h->end || h->end > h->next || (size_t)h->next > len)
        abort();
    int how = answer(h->line, salt);
    if (how == 0) return;
    int32_t item = (int32_t)(h->line % N_ITEMS);
    int s = pos_part_reader_begin(r, how == 1 ? item : -2, h->line);
    if (s != POS_OK && s != POS_ESTATE) abort();
    if (how == 1) {
        pos_part_entry e = {1 + h->line % 3, 0.5, 1.0 / (double)(1 + h->line), (item + 1) % N_ITEMS, 0};
        s = pos_part_reader_add(r, item, &e);
        if (s != POS_OK && s != POS_ESTATE) abort();
    }
}

static int read_all(const pos_part_format *f, int32_t n_skus, const int64_t *baskets,
                    const uint8_t *text, size_t n, const size_t *sizes, int n_sizes,
                    uint8_t salt, result_t *out)
{
    pos_part_reader *r = NULL;
    if (pos_part_reader_new(f, &r) != POS_OK) abort();
    for (int32_t i = 0; i < n_skus; i++) {
        int32_t item = i < N_ITEMS ? i : -1;
        if (pos_part_reader_add_sku(r, SKUS[i], strlen(SKUS[i]), item) != POS_OK) abort();
    }
    if (n_skus > 0 && pos_part_reader_add_sku(r, "A", 1, 0) != POS_EINVAL) abort();   /* a repeat */
    if (pos_part_reader_set_baskets(r, baskets) != POS_OK) abort();
    char *pending = NULL;
    size_t have = 0, at = 0;
    int k = 0;
    for (;;) {
        size_t take = n_sizes ? sizes[k++ % n_sizes] : n - at;
        if (take > n - at) take = n - at;
        int final = at + take == n;
        char *buf = malloc(have + take + 1);     /* exact size (+1: never malloc(0)) */
        if (!buf) abort();
        if (have) memcpy(buf, pending, have);
        if (take) memcpy(buf + have, text + at, take);
        at += take;
        size_t len = have + take, pos = 0, used = 0;
        free(pending);
        for (;;) {
            pos_part_held h;
            if (pos_part_reader_feed(r, buf + pos, len - pos, final, &used, &h) != POS_OK)
                abort();
            if (used > len - pos) abort();
            if (!h.line) {
                pos += used;
                break;
            }
            if ((size_t)h.start != used) abort();
            held_row(r, &h, len - pos, salt);
            pos += (size_t)h.next;
        }
        if (final && pos != len) abort();
        have = len - pos;
        pending = malloc(have + 1);
        if (!pending) abort();
        memcpy(pending, buf + pos, have);
        free(buf);
        if (final) break;
    }
    free(pending);
    if (pos_part_reader_state(r, &out->st) != POS_OK) abort();
    out->entries = malloc((size_t)(out->st.entries + 1) * sizeof *out->entries);
    if (!out->entries || pos_part_reader_lists(r, out->offsets, out->entries) != POS_OK) abort();
    if (out->offsets[0] != 0 || out->offsets[N_ITEMS] != out->st.entries) abort();
    for (int32_t i = 0; i < N_ITEMS; i++) {
        if (out->offsets[i + 1] < out->offsets[i]
            || out->offsets[i + 1] - out->offsets[i] > f->top_n)
            abort();
        for (int64_t j = out->offsets[i]; j < out->offsets[i + 1]; j++) {
            const pos_part_entry *e = &out->entries[j];
            if (e->count < 1 || e->item < 0 || e->item >= N_ITEMS || e->item == i) abort();
        }
    }
    pos_part_item it;
    if (pos_part_reader_item(r, N_ITEMS, &it) != POS_ERANGE) abort();
    if (n_sizes == 0) out->reader = r;
    else pos_part_reader_free(r);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bytes_t b = {data, size};
    uint8_t mode = u8(&b);
    pos_part_format f = {0};
    f.delimiter = fuzz_delimiter(mode);
    f.n_columns = small(&b, 5, 3);
    int32_t perm[7] = {0, 1, 2, 3, 4, 5, 6};
    for (int32_t i = f.n_columns - 1; i > 0; i--) {
        int32_t j = small(&b, 0, i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    f.col_sku = perm[0];
    f.col_partner = perm[1];
    f.col_count = perm[2];
    f.col_weight = perm[3];
    f.col_score = perm[4];
    if (mode & 0x40) f.col_score = small(&b, -1, 9);   /* often invalid */
    f.top_n = small(&b, 0, 4);
    f.shared = mode & 0x20 ? 1 : 0;
    f.n_items = N_ITEMS;
    f.first_line = 2;
    int32_t n_skus = small(&b, 0, 7);
    int64_t baskets[N_ITEMS];
    for (int i = 0; i < N_ITEMS; i++) baskets[i] = small(&b, 0, 4);
    size_t sizes[MAX_SIZES];
    int n_sizes = small(&b, 1, MAX_SIZES);
    for (int i = 0; i < n_sizes; i++) sizes[i] = (size_t)small(&b, 1, 63);
    uint8_t salt = u8(&b);
    double s = fuzz_number(&b, 1);

    pos_part_reader *probe = NULL;
    int status = pos_part_reader_new(&f, &probe);
    pos_part_reader_free(probe);
    int valid = f.delimiter != '|' && f.top_n >= 1 && f.col_score >= 0 && f.col_score < f.n_columns
             && f.col_score != f.col_sku && f.col_score != f.col_partner
             && f.col_score != f.col_count && f.col_score != f.col_weight;
    if (status != (valid ? POS_OK : POS_EINVAL)) abort();
    if (!valid) return 0;

    result_t whole = {0}, chunked = {0};
    read_all(&f, n_skus, baskets, b.p, b.n, NULL, 0, salt, &whole);
    read_all(&f, n_skus, baskets, b.p, b.n, sizes, n_sizes, salt, &chunked);
    if (memcmp(&whole.st, &chunked.st, sizeof whole.st) != 0
        || memcmp(whole.offsets, chunked.offsets, sizeof whole.offsets) != 0
        || memcmp(whole.entries, chunked.entries,
                  (size_t)whole.st.entries * sizeof *whole.entries) != 0)
        abort();

    /* the lists into a miner */
    pos_mine_params p = {f.top_n, 30, 1, 1, 0, 0, 5, -1, POS_RANK_ADDED_VALUE};
    pos_miner *m = NULL;
    if (pos_miner_new(&p, N_ITEMS, &m) != POS_OK) abort();
    int64_t counts[N_ITEMS];
    double weights[N_ITEMS];
    for (int i = 0; i < N_ITEMS; i++) {
        counts[i] = baskets[i] ? baskets[i] : -1;
        weights[i] = (double)baskets[i] * 0.5;
    }
    int64_t first[N_ITEMS];
    int32_t lengths[N_ITEMS];
    for (int i = 0; i < N_ITEMS; i++) {
        first[i] = whole.offsets[i];
        lengths[i] = (int32_t)(whole.offsets[i + 1] - whole.offsets[i]);
    }
    status = pos_miner_restore_lists(m, 4, 2.0, s, counts, weights, first, lengths,
                                     whole.entries);
    if (status != POS_OK && status != POS_EINVAL && status != POS_EOVERFLOW) abort();
    /* the same from the reader's own lists: the same status and lists */
    pos_miner *m2 = NULL;
    if (pos_miner_new(&p, N_ITEMS, &m2) != POS_OK) abort();
    pos_part_reader *r = whole.reader;
    if (pos_part_reader_restore(r, m2, 4, 2.0, s, counts, weights) != status) abort();
    if (status == POS_OK) {
        pos_miner_stats a, c;
        if (pos_miner_stats_get(m, &a) != POS_OK || pos_miner_stats_get(m2, &c) != POS_OK
            || a.neighbours != c.neighbours || a.baskets != c.baskets)
            abort();
        int64_t oa[N_ITEMS + 1], oc[N_ITEMS + 1];
        pos_neighbour *ea = malloc((size_t)(a.neighbours + 1) * sizeof *ea);
        pos_neighbour *ec = malloc((size_t)(c.neighbours + 1) * sizeof *ec);
        if (!ea || !ec || pos_miner_neighbours(m, oa, ea) != POS_OK
            || pos_miner_neighbours(m2, oc, ec) != POS_OK
            || memcmp(oa, oc, sizeof oa) != 0
            || memcmp(ea, ec, (size_t)a.neighbours * sizeof *ea) != 0)
            abort();
        free(ea);
        free(ec);
    }
    pos_part_reader_free(r);
    pos_miner_free(m2);
    pos_miner_free(m);
    free(whole.entries);
    free(chunked.entries);
    return 0;
}
