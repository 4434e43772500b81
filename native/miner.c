/* miner.c: the miner -- item basket counts, pair co-occurrence counts and each
 * item's top-N neighbours (the miner section of pos_core.h).
 *
 * docs/mining.md has the formulas and the reasons for them; in short:
 *   basket weight  w = r(t) * s(n)   (recency x size weight)
 *   conf(a->b)     = w_ab / (w_a + K),  p_b = (w_b + K) / (W + K)
 *   score(a->b)    = conf - w_b / W                  (POS_RANK_ADDED_VALUE), or
 *                  = conf * p_b^-beta                (POS_RANK_DAMPED, beta = rank_damping), or
 *                  = max(conf / max conf, lift / max lift),  lift = conf / p_b,
 *                    each max over a's partners with c_ab >= min_count
 *                                                    (POS_RANK_BALANCED)
 * and a's list keeps the top N partners with c_ab >= min_count and score > 0,
 * ranked by score descending, then item ascending.
 *
 * A round:
 *   pos_miner_stage  validates the baskets (nothing changes when it fails),
 *                    computes each basket's weight, adds the baskets to the item
 *                    counts and totals (these are then final for the round),
 *                    copies the baskets of 2+ items into a packed buffer and
 *                    builds the item -> baskets inverted index (counting sort,
 *                    so each item's baskets stay in basket order);
 *   pos_miner_count  for each item a of its range: accumulates the pair counts
 *                    of a's staged baskets into the worker's dense scratch,
 *                    adds a's stored list, scores every candidate with the final
 *                    counts, keeps the top N (quickselect, then a sort of those
 *                    N), stores the list and resets the touched scratch slots.
 *                    Every list is thus rescored in the round, with counts that
 *                    are final; commit has nothing left to rescore;
 *   pos_miner_commit checks every item was counted exactly once, sums the
 *                    stats and drops the staged baskets.
 * Only the scratch layout is tuned (items get slots by popularity in the round,
 * so the hot ones share cache lines); no result depends on it.
 *
 * States: IDLE (restore, stage, read) and STAGED (count, commit; stats and
 * item counts may be read). Statuses: POS_EINVAL for a NULL input, a bad
 * parameter, a bad basket or restored entry, or a worker out of range;
 * POS_ERANGE for an item index argument (restore_item, count's range) out of
 * range; POS_ESTATE for a call in the wrong state, counting an item twice or
 * committing before every item was counted; POS_EOVERFLOW as below.
 *
 * Floating point, so the Python reference (tests/oracles/mining_reference.py) reproduces
 * every double: sums run in a fixed order (an item's weight: stored value, then
 * the staged baskets in order; a pair's new weight: from 0.0 over a's staged
 * baskets in order, then + the stored float), pair weights are rounded to float
 * before scoring (the score is always computed from the stored value), and the
 * code relies on -std=c11 (GCC: no FMA contraction) and libm's exp2.
 *
 * Limits: item counts are uint32 and totals int64 (POS_EOVERFLOW beyond); an
 * item's weight must stay below 1e38 so pair weights fit a float; one stage
 * takes at most INT32_MAX baskets and about 4e9 basket-items.
 */
#define _DEFAULT_SOURCE /* madvise */
#include "pos_core.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#define MAX_WORKERS 64
#define WEIGHT_LIMIT 1e38  /* item and pair weights stay below (they are stored as float) */
#define PREFETCH_AHEAD 16  /* staged baskets prefetched ahead in the count loop */
#define REC_HEAD 3         /* packed basket record: n, then the weight's 8 bytes */

enum { IDLE, STAGED };

typedef struct {
    pos_neighbour *e;  /* ranked; malloc'd (NULL when cap is 0) */
    int32_t n, cap;
} nlist;

/* A scratch slot: one partner's pair count and weight (one cache line access). */
typedef struct {
    double w;
    uint32_t c;
    uint32_t pad;
} slot;

/* A candidate: key = (~score bits) << 32 | item, so ascending keys are the list
 * order (score descending -- scores are > 0, whose bits order as the values
 * do -- then item ascending). */
typedef struct {
    uint64_t key;
    uint32_t count;
    float weight;
} cand;

typedef struct {
    slot *sc;              /* [n_items] by rank (see pos_miner.rank); all 0 between items */
    int32_t *touched;      /* [n_items + 1] ranks of the slots in use */
    cand *best;            /* [n_items] the current item's candidates */
    int64_t pairs;         /* distinct pairs (a, b > a) seen by this worker this round */
} worker;

struct pos_miner {
    pos_mine_params p;
    int32_t n_items;
    int32_t state;
    int32_t list_cap;      /* entries a list can have: min(top_n, n_items - 1), at least 1 */
    int sort_depth;        /* introsort's depth limit for list_cap entries */
    uint32_t *count;       /* [n_items] baskets holding the item */
    double *weight;        /* [n_items] their weight */
    double *base;          /* [n_items] by rank, set when staging: added value: w_b / W,
                              subtracted; damped: p_b^-beta (1 when p_b is 0), multiplied;
                              balanced: p_b (0 when W + K is 0), lift = conf / p_b
                              (= conf when p_b is 0) */
    int32_t *rank;         /* [n_items] item -> its slot in the scratch: the round's
                              popular items first, so their slots share cache lines */
    int32_t *item_of;      /* [n_items] rank -> item */
    nlist *lists;          /* [n_items] */
    unsigned char *done;   /* [n_items] counted in this round */
    int64_t baskets;
    double total;
    int64_t pairs;
    int64_t neighbours;
    worker *workers;       /* [n_workers] */
    /* the staged round */
    int32_t *stg;          /* packed records of the baskets with 2+ items (items as ranks) */
    uint32_t stg_len;
    uint32_t *inv;         /* inverted index: record offsets in stg, grouped by item */
    int64_t *inv_start;    /* [n_items + 2]: item x's records are inv[inv_start[x] .. inv_start[x+1]) */
};

/* ---- helpers ------------------------------------------------------------ */

/* An item's base term (see struct pos_miner.base) from its weight w and the total W. */
static double base_rate(const pos_mine_params *p, double w, double total)
{
    if (p->list_rank == POS_RANK_ADDED_VALUE)
        return total > 0 ? w / total : 0.0;
    const double den = total + p->shrinkage;
    const double pb = den > 0 ? (w + p->shrinkage) / den : 0.0;
    if (p->list_rank == POS_RANK_BALANCED) return pb;
    return pb > 0 ? pow(pb, -p->rank_damping) : 1.0;
}

/* double -> float as C does it, but saturating at +-FLT_MAX instead of going
 * to infinity (the reference does the same). */
static float to_f32(double x)
{
    if (x > FLT_MAX) return FLT_MAX;
    if (x < -FLT_MAX) return -FLT_MAX;
    return (float)x;
}

/* Balanced ranking: the shrunk lift conf / p_b (pb = base[] of POS_RANK_BALANCED;
 * conf itself when p_b is 0), capped at DBL_MAX so that ratios of two stay finite. */
static inline double shrunk_lift(double conf, double pb)
{
    const double lift = pb > 0 ? conf / pb : conf;
    return lift <= DBL_MAX ? lift : DBL_MAX;
}

/* The list order: x ranks before y (score descending, then item ascending). */
static inline int ranks_before(const pos_neighbour *x, const pos_neighbour *y)
{
    return x->score > y->score || (x->score == y->score && x->item < y->item);
}

static inline uint64_t cand_key(float score, int32_t item)
{
    uint32_t bits;
    memcpy(&bits, &score, sizeof bits);
    return (uint64_t)(UINT32_MAX - bits) << 32 | (uint32_t)item;
}

static inline void cand_swap(cand *x, cand *y)
{
    cand t = *x; *x = *y; *y = t;
}

/* Max-heap by key, for the heapsort behind introsort's depth limit. */
static void cand_sift_down(cand *h, int32_t n, int32_t i)
{
    for (;;) {
        int32_t l = 2 * i + 1, r = l + 1, c;
        if (l >= n) return;
        c = (r < n && h[r].key > h[l].key) ? r : l;
        if (h[i].key >= h[c].key) return;
        cand_swap(&h[i], &h[c]);
        i = c;
    }
}

/* Partitions v so that v[0 .. k) are the k smallest keys: quickselect with
 * median-of-three pivots; past a depth limit the whole range is sorted. */
/* Hoare partition around a median-of-three pivot (n > 2): returns j with
 * v[0..j] <= pivot <= v[j+1..n) and 0 <= j < n - 1. */
static int32_t cand_partition(cand *v, int32_t n)
{
    int32_t mid = n / 2;
    if (v[mid].key < v[0].key) cand_swap(&v[mid], &v[0]);
    if (v[n - 1].key < v[0].key) cand_swap(&v[n - 1], &v[0]);
    if (v[n - 1].key < v[mid].key) cand_swap(&v[n - 1], &v[mid]);
    const uint64_t pivot = v[mid].key;
    int32_t i = -1, j = n;
    for (;;) {
        do i++; while (v[i].key < pivot);
        do j--; while (v[j].key > pivot);
        if (i >= j) return j;
        cand_swap(&v[i], &v[j]);
    }
}

static void cand_sort(cand *v, int32_t n, int depth);
static void cand_select(cand *v, int32_t n, int32_t k, int depth)
{
    while (n > 16 && k > 0 && k < n) {
        if (depth-- == 0) {
            cand_sort(v, n, 0);
            return;
        }
        int32_t j = cand_partition(v, n);
        if (k <= j + 1) {
            n = j + 1;
        } else {
            v += j + 1;
            n -= j + 1;
            k -= j + 1;
        }
    }
    if (n <= 16 && k > 0 && k < n) cand_sort(v, n, 0);
}

static void cand_heapify(cand *h, int32_t n)
{
    for (int32_t i = n / 2 - 1; i >= 0; i--) cand_sift_down(h, n, i);
}

/* Sorts by key ascending (keys are distinct): introsort. */
static void cand_sort(cand *v, int32_t n, int depth)
{
    while (n > 16) {
        if (depth-- == 0) {
            cand_heapify(v, n);
            for (int32_t i = n - 1; i > 0; i--) {
                cand_swap(&v[0], &v[i]);
                cand_sift_down(v, i, 0);
            }
            return;
        }
        int32_t j = cand_partition(v, n);
        if (j + 1 < n - j - 1) {
            cand_sort(v, j + 1, depth);
            v += j + 1;
            n -= j + 1;
        } else {
            cand_sort(v + j + 1, n - j - 1, depth);
            n = j + 1;
        }
    }
    for (int32_t i = 1; i < n; i++) {
        cand t = v[i];
        int32_t j = i;
        for (; j > 0 && v[j - 1].key > t.key; j--) v[j] = v[j - 1];
        v[j] = t;
    }
}

static int params_ok(const pos_mine_params *p)
{
    return p->top_n >= 1 && p->size_cap >= 2 && p->min_count >= 1
        && p->n_workers >= 1 && p->n_workers <= MAX_WORKERS
        && isfinite(p->half_life_days) && p->half_life_days >= 0
        && isfinite(p->shrinkage) && p->shrinkage >= 0
        && (p->list_rank == POS_RANK_DAMPED
                ? p->rank_damping >= 0 && p->rank_damping <= 16
                : (p->list_rank == POS_RANK_ADDED_VALUE || p->list_rank == POS_RANK_BALANCED)
                  && p->rank_damping < 0);
}

/* Weight of a basket of n items bought at t (have_t = 0: no time). */
static int basket_weight(const pos_miner *m, int have_t, int64_t t, int64_t n, double *out)
{
    double r = 1.0, s = 1.0, w;
    if (have_t && m->p.half_life_days > 0) {
        int64_t age;
        if (__builtin_sub_overflow(m->p.ref_time, t, &age)) return POS_EOVERFLOW;
        r = exp2(-(double)age / (m->p.half_life_days * 86400.0));
    }
    if (n > m->p.size_cap)
        s = (double)(m->p.size_cap - 1) / (double)(n - 1);
    w = r * s;
    if (!isfinite(w)) return POS_EOVERFLOW;
    *out = w;
    return POS_OK;
}

/* malloc for the big staging arrays: on Linux, 2 MiB aligned and marked for
 * transparent huge pages (the count loop reads them at random: fewer TLB misses). */
static void *big_alloc(size_t size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const size_t huge = (size_t)2 << 20;
    if (size >= 2 * huge) {
        size_t rounded = (size + huge - 1) / huge * huge;
        void *p = aligned_alloc(huge, rounded);
        if (p) madvise(p, rounded, MADV_HUGEPAGE);
        return p;
    }
#endif
    return malloc(size ? size : 1);
}

static void free_staging(pos_miner *m)
{
    free(m->stg); m->stg = NULL;
    free(m->inv); m->inv = NULL;
    free(m->inv_start); m->inv_start = NULL;
}

/* ---- life cycle ----------------------------------------------------------- */

int pos_miner_new(const pos_mine_params *params, int32_t n_items, pos_miner **out)
{
    if (!params || !out || n_items < 0 || !params_ok(params)) return POS_EINVAL;
    *out = NULL;
    pos_miner *m = calloc(1, sizeof *m);
    if (!m) return POS_ENOMEM;
    size_t n = n_items > 0 ? (size_t)n_items : 1;
    m->p = *params;
    m->n_items = n_items;
    m->state = IDLE;
    m->list_cap = params->top_n < n_items - 1 ? params->top_n : n_items - 1;
    if (m->list_cap < 1) m->list_cap = 1;
    m->count = calloc(n, sizeof *m->count);
    m->weight = calloc(n, sizeof *m->weight);
    m->base = calloc(n, sizeof *m->base);
    m->lists = calloc(n, sizeof *m->lists);
    m->done = calloc(n, 1);
    m->rank = malloc(n * sizeof *m->rank);
    m->item_of = malloc(n * sizeof *m->item_of);
    m->workers = calloc((size_t)params->n_workers, sizeof *m->workers);
    for (int32_t c = m->list_cap; c > 1; c >>= 1) m->sort_depth += 2;
    int ok = m->count && m->weight && m->base && m->lists && m->done && m->rank
          && m->item_of && m->workers;
    for (int32_t i = 0; ok && i < params->n_workers; i++) {
        worker *w = &m->workers[i];
        w->sc = calloc(n, sizeof *w->sc);
        w->touched = malloc((n + 1) * sizeof *w->touched);
        w->best = malloc(n * sizeof *w->best);
        ok = w->sc && w->touched && w->best;
    }
    if (!ok) {
        pos_miner_free(m);
        return POS_ENOMEM;
    }
    *out = m;
    return POS_OK;
}

void pos_miner_free(pos_miner *m)
{
    if (!m) return;
    if (m->lists)
        for (int32_t i = 0; i < m->n_items; i++) free(m->lists[i].e);
    if (m->workers)
        for (int32_t i = 0; i < m->p.n_workers; i++) {
            free(m->workers[i].sc);
            free(m->workers[i].touched);
            free(m->workers[i].best);
        }
    free_staging(m);
    free(m->workers);
    free(m->item_of);
    free(m->rank);
    free(m->done);
    free(m->lists);
    free(m->base);
    free(m->weight);
    free(m->count);
    free(m);
}

/* ---- incremental path: restoring a stored state ---------------------------- */

int pos_miner_restore_item(pos_miner *m, int32_t item, uint32_t count, double weight,
                           const pos_neighbour *entries, int32_t n)
{
    if (!m) return POS_EINVAL;
    if (m->state != IDLE) return POS_ESTATE;
    if (item < 0 || item >= m->n_items) return POS_ERANGE;
    if (n < 0 || n > m->p.top_n || (n > 0 && !entries)) return POS_EINVAL;
    if (!(weight >= 0 && weight < WEIGHT_LIMIT)) return POS_EINVAL;

    /* The entries: valid partners, ranked, no repeats (marked in worker 0's
     * scratch, which is all zero outside pos_miner_count), counts that fit. */
    slot *mark = m->workers[0].sc;
    int32_t i, bad = 0;
    for (i = 0; i < n && !bad; i++) {
        const pos_neighbour *e = &entries[i];
        bad = e->item < 0 || e->item >= m->n_items || e->item == item
           || e->count == 0 || e->count > count
           || !(e->weight >= 0 && e->weight < WEIGHT_LIMIT)
           || !(e->score > 0 && e->score <= FLT_MAX)
           || (i > 0 && !ranks_before(&entries[i - 1], e));
        if (!bad) {
            bad = mark[e->item].c != 0;
            mark[e->item].c = 1;
        }
    }
    for (int32_t j = 0; j < i; j++) {
        int32_t x = entries[j].item;
        if (x >= 0 && x < m->n_items) mark[x].c = 0;
    }
    if (bad) return POS_EINVAL;

    nlist *l = &m->lists[item];
    if (n > l->cap) {
        pos_neighbour *e = malloc((size_t)n * sizeof *e);
        if (!e) return POS_ENOMEM;
        free(l->e);
        l->e = e;
        l->cap = n;
    }
    if (n > 0) memcpy(l->e, entries, (size_t)n * sizeof *entries);
    m->neighbours += n - l->n;
    l->n = n;
    m->count[item] = count;
    m->weight[item] = weight;
    return POS_OK;
}

int pos_miner_restore_totals(pos_miner *m, int64_t baskets, double weight)
{
    if (!m) return POS_EINVAL;
    if (m->state != IDLE) return POS_ESTATE;
    if (baskets < 0 || !(weight >= 0 && isfinite(weight))) return POS_EINVAL;
    m->baskets = baskets;
    m->total = weight;
    return POS_OK;
}

static int to_float(double x, float *out)   /* x as float; POS_EOVERFLOW beyond float's range */
{
    if (!(fabs(x) < 0x1.ffffffp127)) return isnan(x) ? POS_EINVAL : POS_EOVERFLOW;
    *out = (float)x;
    return POS_OK;
}

static int64_t round_half_up(double x)   /* floor(x + 0.5), as pos/chain/prior.py's _round */
{
    return (int64_t)floor(x + 0.5);
}

int pos_miner_restore_lists(pos_miner *m, int64_t baskets, double weight, double s,
                            const int64_t *counts, const double *weights,
                            const int64_t *first, const int32_t *lengths,
                            const pos_part_entry *entries)
{
    if (!m || !counts || !weights || !first || !lengths) return POS_EINVAL;
    if (m->state != IDLE) return POS_ESTATE;
    if (!(s >= 0 && isfinite(s)) || baskets < 0) return POS_EINVAL;
    for (int32_t i = 0; i < m->n_items; i++)
        if (first[i] < 0 || lengths[i] < 0 || (lengths[i] > 0 && !entries))
            return POS_EINVAL;
    double scaled_baskets = (double)baskets * s + 0.5;
    if (!(scaled_baskets < 9.2e18)) return POS_EOVERFLOW;
    int status = pos_miner_restore_totals(m, round_half_up((double)baskets * s), weight * s);
    if (status != POS_OK) return status;
    pos_neighbour *buf = malloc((size_t)(m->p.top_n > 0 ? m->p.top_n : 1) * sizeof *buf);
    if (!buf) return POS_ENOMEM;
    for (int32_t i = 0; i < m->n_items && status == POS_OK; i++) {
        if (counts[i] < 0) continue;
        if (lengths[i] > m->p.top_n) {
            status = POS_EINVAL;
            break;
        }
        int32_t n = 0;
        for (int64_t j = first[i]; j < first[i] + lengths[i] && status == POS_OK; j++) {
            const pos_part_entry *e = &entries[j];
            double c = floor((double)e->count * s + 0.5);
            if (c <= 0) continue;
            if (c > UINT32_MAX) {
                status = POS_EOVERFLOW;
                break;
            }
            pos_neighbour x = {e->item, (uint32_t)c, 0, 0};
            double w = e->weight * s;   /* beyond float: inf, which restore_item refuses */
            x.weight = fabs(w) < 0x1.ffffffp127 ? (float)w : (float)(w > 0 ? INFINITY : -INFINITY);
            status = to_float(e->score, &x.score);
            /* insertion into the ranked list: score descending, then item ascending */
            int32_t at = n;
            while (at > 0 && ranks_before(&x, &buf[at - 1])) {
                buf[at] = buf[at - 1];
                at--;
            }
            buf[at] = x;
            n++;
        }
        if (status != POS_OK) break;
        double c = floor((double)counts[i] * s + 0.5);
        if (c > UINT32_MAX) {
            status = POS_EOVERFLOW;
            break;
        }
        status = pos_miner_restore_item(m, i, (uint32_t)c, weights[i] * s, buf, n);
    }
    free(buf);
    return status;
}

/* ---- a round: stage, count, commit --------------------------------------- */

int pos_miner_stage(pos_miner *m, int64_t n_baskets, const int64_t *offsets,
                    const int32_t *items, const int64_t *times)
{
    if (!m) return POS_EINVAL;
    if (m->state != IDLE) return POS_ESTATE;
    if (n_baskets < 0 || !offsets) return POS_EINVAL;
    if (n_baskets > INT32_MAX) return POS_EOVERFLOW;
    if (m->baskets > INT64_MAX - n_baskets) return POS_EOVERFLOW;

    /* Pass 1: the offsets (all of them before any item is read), then the items. */
    if (offsets[0] < 0) return POS_EINVAL;
    for (int64_t b = 0; b < n_baskets; b++)
        if (offsets[b + 1] < offsets[b]) return POS_EINVAL;
    if (offsets[n_baskets] > offsets[0] && !items) return POS_EINVAL;
    uint64_t stg_len = 0, inv_len = 0;
    for (int64_t b = 0; b < n_baskets; b++) {
        int64_t s = offsets[b], e = offsets[b + 1];
        for (int64_t j = s; j < e; j++) {
            int32_t x = items[j];
            if (x < 0 || x >= m->n_items || (j > s && x <= items[j - 1])) return POS_EINVAL;
        }
        if (e - s >= 2) {
            stg_len += (uint64_t)(e - s) + REC_HEAD;
            inv_len += (uint64_t)(e - s);
        }
    }
    if (stg_len > UINT32_MAX) return POS_EOVERFLOW;

    size_t n = m->n_items > 0 ? (size_t)m->n_items : 1;
    m->stg = big_alloc(stg_len * sizeof *m->stg);
    m->stg_len = (uint32_t)stg_len;
    m->inv = big_alloc(inv_len * sizeof *m->inv);
    m->inv_start = calloc(n + 2, sizeof *m->inv_start);
    if (!m->stg || !m->inv || !m->inv_start) {
        free_staging(m);
        return POS_ENOMEM;
    }

    /* Pass 2: basket weights; new counts and the items' final weights into
     * worker 0's scratch (the state is only touched once all is checked);
     * packed records; the inverted index's per-item sizes. */
    slot *sc = m->workers[0].sc;
    int64_t *start = m->inv_start;
    for (int32_t x = 0; x < m->n_items; x++) sc[x].w = m->weight[x];
    double total = m->total;
    int status = POS_OK;
    uint32_t pos = 0;
    for (int64_t b = 0; b < n_baskets && status == POS_OK; b++) {
        int64_t s = offsets[b], e = offsets[b + 1];
        double w;
        status = basket_weight(m, times != NULL, times ? times[b] : 0, e - s, &w);
        if (status != POS_OK) break;
        total += w;
        for (int64_t j = s; j < e; j++) {
            sc[items[j]].c++;
            sc[items[j]].w += w;
        }
        if (e - s >= 2) {
            m->stg[pos] = (int32_t)(e - s);
            memcpy(&m->stg[pos + 1], &w, sizeof w);
            memcpy(&m->stg[pos + REC_HEAD], &items[s], (size_t)(e - s) * sizeof *items);
            for (int64_t j = s; j < e; j++) start[items[j] + 2]++;
            pos += (uint32_t)(e - s) + REC_HEAD;
        }
    }
    if (status == POS_OK && !isfinite(total)) status = POS_EOVERFLOW;
    for (int32_t x = 0; x < m->n_items && status == POS_OK; x++)
        if ((uint64_t)m->count[x] + sc[x].c > UINT32_MAX || !(sc[x].w < WEIGHT_LIMIT))
            status = POS_EOVERFLOW;
    if (status != POS_OK) {
        memset(sc, 0, (size_t)m->n_items * sizeof *sc);
        free_staging(m);
        return status;
    }

    /* The inverted index: start[x + 1] = where item x's records begin, then a
     * fill in basket order advances it to where they end (= start[x + 2]'s
     * begin), leaving start[x] .. start[x + 1] as x's range. */
    for (int32_t x = 0; x < m->n_items; x++) start[x + 2] += start[x + 1];
    for (uint32_t p = 0; p < pos; ) {
        int32_t k = m->stg[p];
        for (int32_t j = 0; j < k; j++)
            m->inv[start[m->stg[p + REC_HEAD + j] + 1]++] = p;
        p += (uint32_t)k + REC_HEAD;
    }

    /* Scratch slots by popularity in this round (a counting sort on the bit
     * length of the new count, most frequent first), then the records' items
     * as slot ranks. Only memory locality depends on it, not a result. */
    int64_t bucket[34] = {0};
    for (int32_t x = 0; x < m->n_items; x++) {
        int bits = sc[x].c ? 32 - __builtin_clz(sc[x].c) : 0;
        bucket[33 - bits]++;
    }
    for (int i = 1; i < 34; i++) bucket[i] += bucket[i - 1];
    for (int32_t x = m->n_items - 1; x >= 0; x--) {
        int bits = sc[x].c ? 32 - __builtin_clz(sc[x].c) : 0;
        int32_t r = (int32_t)--bucket[33 - bits];
        m->rank[x] = r;
        m->item_of[r] = x;
    }
    for (uint32_t p = 0; p < pos; ) {
        int32_t k = m->stg[p];
        for (int32_t j = 0; j < k; j++)
            m->stg[p + REC_HEAD + j] = m->rank[m->stg[p + REC_HEAD + j]];
        p += (uint32_t)k + REC_HEAD;
    }

    /* Commit the stage to the state. */
    for (int32_t x = 0; x < m->n_items; x++) {
        m->count[x] += sc[x].c;
        m->weight[x] = sc[x].w;
        m->base[m->rank[x]] = base_rate(&m->p, sc[x].w, total);
    }
    memset(sc, 0, (size_t)m->n_items * sizeof *sc);
    memset(m->done, 0, (size_t)m->n_items);
    for (int32_t i = 0; i < m->p.n_workers; i++) m->workers[i].pairs = 0;
    m->baskets += n_baskets;
    m->total = total;
    m->state = STAGED;
    return POS_OK;
}

/* Item a's new list from its staged baskets and stored list (see the top). */
static int count_item(pos_miner *m, worker *wk, int32_t a, int64_t *pairs)
{
    slot *sc = wk->sc;
    int32_t *touched = wk->touched;
    const int32_t *item_of = m->item_of;
    int32_t nt = 0;
    const int64_t s = m->inv_start[a], e = m->inv_start[a + 1];

    /* The staged baskets' pair counts, from 0, over a's baskets in order
     * (a's own slot is counted too and skipped below). */
    for (int64_t k = s; k < e; k++) {
        if (k + PREFETCH_AHEAD < e) {  /* the record's first two cache lines */
            const uint32_t ahead = m->inv[k + PREFETCH_AHEAD];
            __builtin_prefetch(&m->stg[ahead]);
            if (ahead + 16 < m->stg_len) __builtin_prefetch(&m->stg[ahead + 16]);
        }
        const int32_t *rec = &m->stg[m->inv[k]];
        const int32_t len = rec[0];
        double w;
        memcpy(&w, &rec[1], sizeof w);
        const int32_t *its = rec + REC_HEAD;
        for (int32_t j = 0; j < len; j++) {
            slot *sl = &sc[its[j]];
            touched[nt] = its[j];
            nt += sl->c == 0;
            sl->c++;
            sl->w += w;
        }
    }
    const int32_t n_new = nt;  /* touched[0 .. n_new): partners in the staged baskets */

    /* Plus the stored list's counts. */
    nlist *l = &m->lists[a];
    for (int32_t i = 0; i < l->n; i++) {
        const pos_neighbour *en = &l->e[i];
        slot *sl = &sc[m->rank[en->item]];
        touched[nt] = m->rank[en->item];
        nt += sl->c == 0;
        sl->c += en->count;
        sl->w += (double)en->weight;
    }

    /* Score every candidate, keep the best list_cap, reset the slots. The
     * balanced ranking needs the maxima over all candidates first: its first
     * pass keeps every candidate passing min_count (key = its rank for now),
     * the second scores them, recomputing conf and lift the same way. */
    const double den = m->weight[a] + m->p.shrinkage;
    const int32_t list_rank = m->p.list_rank;
    const uint32_t min_count = (uint32_t)m->p.min_count;
    const int32_t ra = m->rank[a], cap = m->list_cap;
    const double *base = m->base;
    cand *best = wk->best;
    int32_t nb = 0;
    int64_t p = 0;
    double max_conf = 0.0, max_lift = 0.0;
    for (int32_t t = 0; t < nt; t++) {
        const int32_t r = touched[t];
        const uint32_t c = sc[r].c;
        const double wsum = sc[r].w;
        sc[r].c = 0;
        sc[r].w = 0.0;
        if (r == ra) continue;
        const int32_t x = item_of[r];
        p += t < n_new && x > a;
        if (c < min_count) continue;
        const float wf = to_f32(wsum);
        const double conf = den > 0 ? (double)wf / den : 0.0;
        if (list_rank == POS_RANK_BALANCED) {
            const double lift = shrunk_lift(conf, base[r]);
            if (conf > max_conf) max_conf = conf;
            if (lift > max_lift) max_lift = lift;
            best[nb].key = (uint64_t)(uint32_t)r;
        } else {
            const float score = to_f32(list_rank == POS_RANK_DAMPED ? conf * base[r]
                                                                    : conf - base[r]);
            if (!(score > 0.0f)) continue;
            best[nb].key = cand_key(score, x);
        }
        best[nb].count = c;
        best[nb].weight = wf;
        nb++;
    }
    *pairs += p;
    if (list_rank == POS_RANK_BALANCED) {
        int32_t kept = 0;
        for (int32_t i = 0; i < nb; i++) {
            const int32_t r = (int32_t)best[i].key;
            const double conf = den > 0 ? (double)best[i].weight / den : 0.0;
            const double lift = shrunk_lift(conf, base[r]);
            const double by_conf = max_conf > 0 ? conf / max_conf : 0.0;
            const double by_lift = max_lift > 0 ? lift / max_lift : 0.0;
            const float score = to_f32(by_conf > by_lift ? by_conf : by_lift);
            if (!(score > 0.0f)) continue;
            best[kept] = best[i];
            best[kept].key = cand_key(score, item_of[r]);
            kept++;
        }
        nb = kept;
    }
    if (nb > cap) {
        int depth = 0;
        for (int32_t c = nb; c > 1; c >>= 1) depth += 2;
        cand_select(best, nb, cap, depth);
        nb = cap;
    }
    cand_sort(best, nb, m->sort_depth);

    if (nb > l->cap) {
        pos_neighbour *ne = malloc((size_t)nb * sizeof *ne);
        if (!ne) return POS_ENOMEM;
        free(l->e);
        l->e = ne;
        l->cap = nb;
    }
    for (int32_t i = 0; i < nb; i++) {
        uint32_t bits = UINT32_MAX - (uint32_t)(best[i].key >> 32);
        l->e[i].item = (int32_t)(uint32_t)best[i].key;
        l->e[i].count = best[i].count;
        l->e[i].weight = best[i].weight;
        memcpy(&l->e[i].score, &bits, sizeof bits);
    }
    l->n = nb;
    return POS_OK;
}

int pos_miner_count(pos_miner *m, int32_t item_from, int32_t item_to, int32_t worker_id)
{
    if (!m) return POS_EINVAL;
    if (m->state != STAGED) return POS_ESTATE;
    if (worker_id < 0 || worker_id >= m->p.n_workers) return POS_EINVAL;
    if (item_from < 0 || item_to < item_from || item_to > m->n_items) return POS_ERANGE;
    for (int32_t a = item_from; a < item_to; a++)
        if (m->done[a]) return POS_ESTATE;  /* counting twice would add the pairs twice */
    worker *wk = &m->workers[worker_id];
    int64_t pairs = 0;
    int status = POS_OK;
    for (int32_t a = item_from; a < item_to && status == POS_OK; a++) {
        status = count_item(m, wk, a, &pairs);
        if (status == POS_OK) m->done[a] = 1;
    }
    wk->pairs += pairs;
    return status;
}

int pos_miner_commit(pos_miner *m)
{
    if (!m) return POS_EINVAL;
    if (m->state != STAGED) return POS_ESTATE;
    for (int32_t a = 0; a < m->n_items; a++)
        if (!m->done[a]) return POS_ESTATE;
    int64_t pairs = 0, neighbours = 0;
    for (int32_t i = 0; i < m->p.n_workers; i++) pairs += m->workers[i].pairs;
    for (int32_t a = 0; a < m->n_items; a++) neighbours += m->lists[a].n;
    m->pairs = pairs;
    m->neighbours = neighbours;
    free_staging(m);
    m->state = IDLE;
    return POS_OK;
}

/* ---- results ---------------------------------------------------------------- */

int pos_miner_stats_get(const pos_miner *m, pos_miner_stats *out)
{
    if (!m || !out) return POS_EINVAL;
    out->baskets = m->baskets;
    out->weight = m->total;
    out->pairs = m->pairs;
    out->neighbours = m->neighbours;
    return POS_OK;
}

/* Either output may be NULL to skip it. Allowed while staged too (the counts
 * are final once staged and pos_miner_count does not change them). */
int pos_miner_item_counts(const pos_miner *m, uint32_t *counts, double *weights)
{
    if (!m) return POS_EINVAL;
    if (counts) memcpy(counts, m->count, (size_t)m->n_items * sizeof *counts);
    if (weights) memcpy(weights, m->weight, (size_t)m->n_items * sizeof *weights);
    return POS_OK;
}

/* entries may be NULL to get the offsets only. */
int pos_miner_neighbours(const pos_miner *m, int64_t *offsets, pos_neighbour *entries)
{
    if (!m || !offsets) return POS_EINVAL;
    if (m->state != IDLE) return POS_ESTATE;
    int64_t o = 0;
    offsets[0] = 0;
    for (int32_t a = 0; a < m->n_items; a++) {
        const nlist *l = &m->lists[a];
        if (entries && l->n > 0) memcpy(&entries[o], l->e, (size_t)l->n * sizeof *entries);
        o += l->n;
        offsets[a + 1] = o;
    }
    return POS_OK;
}
