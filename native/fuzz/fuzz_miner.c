/* fuzz_miner.c: libFuzzer target for the miner.
 *
 * The fuzz bytes become the mining parameters (mostly in the documented
 * ranges, now and then outside them: pos_miner_new must then refuse with
 * POS_EINVAL), an item count, restored lists and totals (valid or not), and a
 * few staging rounds of baskets (CSR with item ids, sizes and times from the
 * bytes; now and then unsorted, repeated or out-of-range items or offsets going
 * backwards, which pos_miner_stage must refuse). Each staged round is counted
 * in fuzzed item ranges with fuzzed workers (with some calls that must be
 * refused: a range counted twice, a range out of bounds, a commit too early),
 * then committed, and the results are read and checked: counts match the
 * baskets, every list is in range, ranked, at most top_n long, without the
 * item itself and with c_ab >= min_count. Built and run by scripts/fuzz (CI):
 *   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Inative \
 *       native/fuzz/fuzz_miner.c native/miner.c native/status.c -lm
 */
#include "pos_core.h"
#include "fuzz_bytes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


static double number(bytes_t *b)
{
    return fuzz_number(b, 1);
}

#define MAX_ITEMS 12
#define MAX_BASKETS 10
#define MAX_SIZE 8
#define DAY 86400

static int params_valid(const pos_mine_params *p)
{
    return p->top_n >= 1 && p->size_cap >= 2 && p->min_count >= 1 && p->n_workers >= 1
        && p->n_workers <= 64 && isfinite(p->half_life_days) && p->half_life_days >= 0
        && isfinite(p->shrinkage) && p->shrinkage >= 0
        && (p->list_rank == POS_RANK_DAMPED
                ? p->rank_damping >= 0 && p->rank_damping <= 16
                : (p->list_rank == POS_RANK_ADDED_VALUE || p->list_rank == POS_RANK_BALANCED)
                  && p->rank_damping < 0);
}

static int ranks_before(const pos_neighbour *a, const pos_neighbour *b)
{
    return a->score > b->score || (a->score == b->score && a->item < b->item);
}

/* Reads and checks the lists; counted = every list was rescored in a round;
 * restored = some list was restored (a restored pair count is only checked
 * against its own item's count, so it may exceed the partner's). */
static void check_lists(const pos_miner *m, const pos_mine_params *pr, int32_t n, int counted,
                        int restored, const uint32_t *added)
{
    pos_miner_stats st;
    if (pos_miner_stats_get(m, &st) != POS_OK || st.baskets < 0 || st.pairs < 0
        || st.neighbours < 0 || !(st.weight >= 0))
        abort();
    uint32_t counts[MAX_ITEMS + 1];
    double weights[MAX_ITEMS + 1];
    if (pos_miner_item_counts(m, counts, weights) != POS_OK)
        abort();
    int64_t offsets[MAX_ITEMS + 2];
    if (pos_miner_neighbours(m, offsets, NULL) != POS_OK || offsets[0] != 0
        || offsets[n] != st.neighbours)
        abort();
    pos_neighbour *e = malloc((size_t)(st.neighbours ? st.neighbours : 1) * sizeof *e);
    if (!e || pos_miner_neighbours(m, offsets, e) != POS_OK)
        abort();
    for (int32_t a = 0; a < n; a++) {
        if (counts[a] < added[a] || !(weights[a] >= 0) || isnan(weights[a]))
            abort();
        int64_t len = offsets[a + 1] - offsets[a];
        if (len < 0 || len > pr->top_n || len > (n > 1 ? n - 1 : 0))
            abort();
        for (int64_t j = offsets[a]; j < offsets[a + 1]; j++) {
            if (e[j].item < 0 || e[j].item >= n || e[j].item == a || e[j].count == 0
                || e[j].count > counts[a] || !(e[j].score > 0) || isnan(e[j].weight))
                abort();
            if (j > offsets[a] && !ranks_before(&e[j - 1], &e[j]))
                abort();
            if (counted && (e[j].count < (uint32_t)pr->min_count
                            || (!restored && e[j].count > counts[e[j].item])
                            || (pr->list_rank == POS_RANK_BALANCED && e[j].score > 1.0f)))
                abort();
        }
    }
    free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bytes_t b = {data, size};
    pos_mine_params pr = {
        .top_n = small(&b, 0, 6),
        .size_cap = small(&b, 1, 6),
        .min_count = small(&b, 0, 4),
        .n_workers = small(&b, 0, 4),
        .half_life_days = number(&b),
        .ref_time = (int64_t)small(&b, -2, 40) * DAY,
        .shrinkage = number(&b),
        .list_rank = small(&b, -1, 4),
    };
    uint8_t r = u8(&b);
    pr.rank_damping = r % 4 == 0 ? -1.0 : r % 4 == 1 ? (double)(r >> 2) / 4.0 : number(&b);
    if (u8(&b) == 0xff)
        pr.ref_time = INT64_MAX;
    int32_t n = small(&b, -1, MAX_ITEMS + 2);
    pos_miner *m = NULL;
    int status = pos_miner_new(&pr, n, &m);
    if (!params_valid(&pr) || n < 0) {
        if (status != POS_EINVAL)
            abort();
        return 0;
    }
    if (status != POS_OK)
        abort();

    uint32_t added[MAX_ITEMS + 1] = {0};   /* staged baskets per item, lower bound on counts */
    int counted = 0, restored = 0;
    /* restored state: lists from the bytes, valid or not */
    for (int32_t k = small(&b, 0, 4); k > 0; k--) {
        int32_t item = small(&b, -1, n + 2);
        uint32_t count = (uint32_t)small(&b, 0, 20);
        pos_neighbour entries[6];
        int32_t len = small(&b, 0, 7);
        float score = 100.0f;
        for (int32_t j = 0; j < len; j++) {
            entries[j].item = small(&b, -1, n + 1);
            entries[j].count = (uint32_t)small(&b, 0, 21);
            entries[j].weight = (float)number(&b);
            score -= (float)small(&b, -1, 20);
            entries[j].score = score;
        }
        status = pos_miner_restore_item(m, item, count, number(&b), entries, len);
        if (status != POS_OK && status != POS_EINVAL && status != POS_ERANGE)
            abort();
        restored |= status == POS_OK && len > 0;
        if ((item < 0 || item >= n) && status != POS_ERANGE)
            abort();
    }
    if (u8(&b) & 1) {
        int64_t baskets = small(&b, -1, 50);
        status = pos_miner_restore_totals(m, baskets, number(&b));
        if (status != POS_OK && status != POS_EINVAL)
            abort();
    }
    check_lists(m, &pr, n, 0, restored, added);

    for (int round = 0; round < 3 && b.n; round++) {
        int64_t offsets[MAX_BASKETS + 1];
        int32_t items[MAX_BASKETS * MAX_SIZE];
        int64_t times[MAX_BASKETS];
        int32_t nb = small(&b, 0, MAX_BASKETS + 1);
        int broken = 0;
        offsets[0] = 0;
        for (int32_t k = 0; k < nb; k++) {
            int32_t len = small(&b, 0, MAX_SIZE + 1), item = small(&b, -1, 3);
            for (int32_t j = 0; j < len; j++) {
                items[offsets[k] + j] = item;
                broken |= item < 0 || item >= n || (j > 0 && item <= items[offsets[k] + j - 1]);
                item += small(&b, 0, 4) ? small(&b, 1, 3) : -1;   /* now and then not ascending */
            }
            offsets[k + 1] = offsets[k] + len;
            times[k] = (int64_t)small(&b, -5, 40) * DAY + small(&b, 0, 24) * 3600;
        }
        if (nb > 0 && u8(&b) == 0xfe) {   /* offsets going backwards */
            int64_t t = offsets[1];
            offsets[1] = offsets[0];
            offsets[0] = t;
            broken |= offsets[1] < offsets[0] || offsets[0] != 0;
        }
        if (nb > 0 && u8(&b) == 0xfd)
            times[0] = INT64_MIN;          /* ages that overflow */
        status = pos_miner_stage(m, nb, offsets, items, small(&b, 0, 2) ? times : NULL);
        if (broken) {
            if (status != POS_EINVAL)
                abort();
            check_lists(m, &pr, n, counted, restored, added);
            continue;
        }
        if (status == POS_EOVERFLOW)
            continue;
        if (status != POS_OK)
            abort();
        for (int32_t k = 0; k < nb; k++)
            for (int64_t j = offsets[k]; j < offsets[k + 1]; j++)
                added[items[j]]++;
        if (n > 0 && pos_miner_commit(m) != POS_ESTATE)
            abort();   /* nothing counted yet */
        if (pos_miner_count(m, 0, n + 1, 0) != POS_ERANGE)
            abort();
        if (pos_miner_count(m, 0, 0, pr.n_workers) != POS_EINVAL)
            abort();
        /* count in ranges of fuzzed sizes, each with a fuzzed worker */
        int ok = 1;
        for (int32_t from = 0; from < n && ok;) {
            int32_t to = from + small(&b, 1, 4);
            if (to > n)
                to = n;
            status = pos_miner_count(m, from, to, small(&b, 0, (int32_t)pr.n_workers));
            if (status == POS_EOVERFLOW)
                ok = 0;
            else if (status != POS_OK)
                abort();
            else if (pos_miner_count(m, from, to, 0) != POS_ESTATE && to > from)
                abort();   /* counted twice */
            from = to;
        }
        if (!ok)
            break;   /* stuck staged: just free it */
        if (pos_miner_commit(m) != POS_OK)
            abort();
        counted = 1;
        check_lists(m, &pr, n, counted, restored, added);
    }
    if (pos_miner_count(m, 0, n, 0) != POS_ESTATE && counted)
        abort();
    pos_miner_free(m);
    return 0;
}
