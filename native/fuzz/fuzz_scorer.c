/* fuzz_scorer.c: libFuzzer target for the scorer's input path.
 *
 * The fuzz bytes become an engine (items, categories, neighbour lists,
 * upgrades, bundles, rules), a learning overlay fed with the day's baskets
 * and declines, and a few scoring requests (baskets, declined items, a
 * customer history, the config, with or without the overlay), with invalid
 * values on purpose:
 * NaN and negative weights, indexes out of range, unsorted lists. The core
 * must answer every call with a status and never crash; when a call succeeds,
 * its results must be in range. Built and run by scripts/fuzz (CI):
 *   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Inative \
 *       native/fuzz/fuzz_scorer.c native/scorer.c native/similar.c native/status.c -lm
 */
#include "pos_core.h"
#include "fuzz_bytes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


static double number(bytes_t *b)
{
    return fuzz_number(b, 0);
}

#define MAX_ITEMS 16
#define MAX_NB 6
#define MAX_CATS 4
#define MAX_SMALL 4

/* In range, each item once, and the strict caps held: at most max_per_family of
 * a family and max_rules rule suggestions (the category cap is a preference:
 * its fill may pass it, docs/scoring.md). */
static void check_results(const pos_suggestion *out, size_t n, int32_t k, int32_t n_items,
                          const int32_t *family, const pos_score_config *cf)
{
    if (n > (size_t)k)
        abort();
    int32_t rules = 0;
    for (size_t i = 0; i < n; i++) {
        if (out[i].item < 0 || out[i].item >= n_items)
            abort();
        if (out[i].kind < POS_KIND_CROSS || out[i].kind > POS_KIND_BUNDLE)
            abort();
        if (isnan(out[i].score))
            abort();
        rules += out[i].source == POS_SOURCE_RULE;
        int32_t same_fam = 0;
        for (size_t j = 0; j < n; j++) {
            if (j != i && out[j].item == out[i].item)
                abort();
            same_fam += family[out[i].item] >= 0 && family[out[j].item] == family[out[i].item];
        }
        if (same_fam > cf->max_per_family)
            abort();
    }
    if (rules > cf->max_rules)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bytes_t b = {data, size};
    int32_t n = small(&b, 0, MAX_ITEMS + 1);
    int64_t price[MAX_ITEMS], cost[MAX_ITEMS];
    uint8_t flags[MAX_ITEMS];
    int32_t family[MAX_ITEMS], tier[MAX_ITEMS], category[MAX_ITEMS];
    uint32_t count[MAX_ITEMS];
    double weight[MAX_ITEMS];
    for (int32_t i = 0; i < n; i++) {
        price[i] = small(&b, -1, 200) * 100;
        cost[i] = small(&b, -2, 150) * 100;
        flags[i] = u8(&b) & 0x0f;
        family[i] = small(&b, -1, 4);
        tier[i] = small(&b, 0, 4);
        category[i] = small(&b, -1, MAX_CATS + 2);   /* may be out of range */
        count[i] = (uint32_t)small(&b, 0, 50);
        weight[i] = number(&b);
    }
    int32_t parents[MAX_CATS];
    for (int32_t c = 0; c < MAX_CATS; c++)
        parents[c] = small(&b, -1, c + 2);           /* may point at itself */

    int64_t nb_off[MAX_ITEMS + 1];
    pos_neighbour nb[MAX_ITEMS * MAX_NB];
    int64_t m = 0;
    nb_off[0] = 0;
    for (int32_t i = 0; i < n; i++) {
        int32_t k = small(&b, 0, MAX_NB + 1);
        for (int32_t j = 0; j < k; j++, m++) {
            nb[m].item = small(&b, -1, n + 2);
            nb[m].count = (uint32_t)small(&b, 0, 60);
            nb[m].weight = (float)number(&b);
            nb[m].score = (float)number(&b);
        }
        nb_off[i + 1] = m;
    }

    int32_t up_from[MAX_SMALL], up_to[MAX_SMALL];
    int32_t n_up = small(&b, 0, MAX_SMALL + 1);
    for (int32_t i = 0; i < n_up; i++) {
        up_from[i] = small(&b, -1, n + 2);
        up_to[i] = small(&b, -1, n + 2);
    }

    int64_t bun_off[MAX_SMALL + 1], bun_save[MAX_SMALL], bun_from[MAX_SMALL], bun_to[MAX_SMALL];
    int32_t bun_items[MAX_SMALL * 3], bun_qty[MAX_SMALL * 3];
    int32_t n_bun = small(&b, 0, MAX_SMALL + 1);
    bun_off[0] = 0;
    for (int32_t i = 0; i < n_bun; i++) {
        int32_t k = small(&b, 0, 4);
        for (int32_t j = 0; j < k; j++) {
            bun_items[bun_off[i] + j] = small(&b, -1, n + 2);
            bun_qty[bun_off[i] + j] = small(&b, 0, 3);
        }
        bun_off[i + 1] = bun_off[i] + k;
        bun_save[i] = small(&b, -1, 100) * 100;
        bun_from[i] = small(&b, 0, 3) == 0 ? INT64_MIN : small(&b, 0, 100);
        bun_to[i] = small(&b, 0, 3) == 0 ? INT64_MAX : small(&b, 0, 100);
    }

    int32_t r_item[MAX_SMALL], r_cat[MAX_SMALL], r_sug[MAX_SMALL], r_kind[MAX_SMALL],
        r_prio[MAX_SMALL];
    double r_boost[MAX_SMALL];
    int64_t r_from[MAX_SMALL], r_to[MAX_SMALL];
    int32_t n_rules = small(&b, 0, MAX_SMALL + 1);
    for (int32_t i = 0; i < n_rules; i++) {
        r_item[i] = small(&b, -1, n + 1);
        r_cat[i] = small(&b, -1, MAX_CATS + 1);
        r_sug[i] = small(&b, -1, n + 2);
        r_kind[i] = small(&b, 0, 5);
        r_prio[i] = small(&b, -5, 10);
        r_boost[i] = number(&b);
        r_from[i] = small(&b, 0, 100);
        r_to[i] = small(&b, 0, 100);
    }

    /* recent baskets for the similar-baskets term: items ascending by
     * construction, a repeat or an out-of-range item now and then (refused) */
    int64_t rec_off[MAX_SMALL + 1];
    int32_t rec_items[MAX_SMALL * 4];
    int32_t n_recent = small(&b, 0, MAX_SMALL + 1);
    rec_off[0] = 0;
    for (int32_t i = 0; i < n_recent; i++) {
        int32_t k = small(&b, 0, 5), item = small(&b, -1, n + 1);
        for (int32_t j = 0; j < k; j++, item += small(&b, 0, 3))
            rec_items[rec_off[i] + j] = item;
        rec_off[i + 1] = rec_off[i] + k;
    }

    int stream = small(&b, 0, 2);   /* the lists follow one by one (pos_engine_set_neighbours) */
    pos_engine_data d = {
        .n_items = n, .price = price, .cost = cost, .flags = flags, .family = family,
        .tier = tier, .category = category, .count = count, .weight = weight,
        .n_categories = MAX_CATS, .category_parent = parents,
        .n_baskets = small(&b, -1, 200), .total_weight = number(&b),
        .nb_offsets = nb_off, .nb_entries = stream ? NULL : nb,
        .n_upgrades = n_up, .upgrade_from = up_from, .upgrade_to = up_to,
        .n_bundles = n_bun, .bundle_offsets = bun_off, .bundle_items = bun_items,
        .bundle_qty = bun_qty, .bundle_saving = bun_save, .bundle_from = bun_from,
        .bundle_to = bun_to,
        .n_rules = n_rules, .rule_trigger_item = r_item, .rule_trigger_category = r_cat,
        .rule_item = r_sug, .rule_kind = r_kind, .rule_priority = r_prio,
        .rule_boost = r_boost, .rule_from = r_from, .rule_to = r_to,
        .n_recent = n_recent, .recent_offsets = rec_off, .recent_items = rec_items,
    };
    pos_engine *engine = NULL;
    if (pos_engine_new(&d, &engine) != POS_OK)
        return 0;
    for (int32_t i = 0; stream && i < n + 1; i++) {   /* item n: out of range, refused */
        int32_t a = small(&b, -1, n + 1);
        int64_t lo = a >= 0 && a < n ? nb_off[a] : 0;
        size_t len = a >= 0 && a < n ? (size_t)(nb_off[a + 1] - lo) : 0;
        (void)pos_engine_set_neighbours(engine, a, nb + lo, len + (size_t)small(&b, 0, 2));
    }
    pos_scratch *scratch = NULL;
    if (pos_scratch_new(engine, &scratch) != POS_OK) {
        pos_engine_free(engine);
        return 0;
    }
    pos_learned *learned = NULL;
    pos_learn_params lp = {.size_cap = small(&b, 0, 5), .min_pair_count = small(&b, 0, 3),
                           .list_size = small(&b, -1, 4), .decline_half_life_days = number(&b),
                           .max_pairs = small(&b, -1, 6)};
    if (pos_learned_new(engine, &lp, &learned) != POS_OK)
        learned = NULL;
    for (int round = 0; round < 3 && b.n; round++) {
        int32_t basket[MAX_ITEMS + 2], declined[4];
        for (int32_t day = small(&b, 0, 4); learned && day > 0; day--) {   /* today's sales */
            int32_t sold[MAX_ITEMS + 2];
            int32_t n_sold = small(&b, -1, MAX_ITEMS + 3);
            for (int32_t i = 0; i < n_sold; i++)
                sold[i] = small(&b, -1, n + 2);
            pos_learned_add_basket(learned, sold, n_sold);
            pos_learned_add_decline(learned, small(&b, -1, n + 2), small(&b, -1, n + 2),
                                    small(&b, -10, 120) * 40000);
        }
        double qty[MAX_ITEMS + 2];
        pos_customer_item history[MAX_SMALL];
        int32_t nb_items = small(&b, 0, MAX_ITEMS + 3);
        for (int32_t i = 0; i < nb_items; i++) {
            basket[i] = small(&b, -1, n + 2);
            qty[i] = number(&b);
        }
        int32_t n_declined = small(&b, 0, 5);
        for (int32_t i = 0; i < n_declined; i++)
            declined[i] = small(&b, -1, n + 2);
        int32_t n_history = small(&b, 0, MAX_SMALL + 1);
        for (int32_t i = 0; i < n_history; i++) {
            history[i].item = small(&b, -1, n + 2);
            history[i].baskets = (uint32_t)small(&b, 0, 20);
            history[i].last_time = small(&b, -10, 120);
        }
        pos_score_request q = {
            .n_basket = nb_items, .basket_items = basket,
            .basket_qty = small(&b, 0, 2) ? qty : NULL,
            .n_declined = n_declined, .declined = declined,
            .n_history = n_history, .history = history,
            .customer_baskets = small(&b, -1, 30), .now = small(&b, 0, 120),
            .k = small(&b, 0, 12),
            .config = {
                .shrinkage = number(&b), .pop_damping = number(&b) / 64.0,
                .personal_weight = number(&b) / 64.0, .category_affinity = number(&b) / 64.0,
                .margin_weight = number(&b) / 64.0, .upsell_cap = number(&b) / 32.0,
                .upsell_weight = number(&b) / 64.0, .bundle_weight = number(&b) / 64.0,
                .durable_days = number(&b), .max_per_family = small(&b, 0, 4),
                .max_per_category = small(&b, 0, 4), .max_rules = small(&b, -1, 4),
                .aggregate = small(&b, -1, 3), .knn_weight = number(&b) / 64.0,
                .knn_recent = small(&b, 0, 6), .knn_neighbours = small(&b, 0, 6),
                .knn_idf = small(&b, -1, 2), .knn_power = small(&b, 0, 4),
                .personal_slots = small(&b, -1, 4),
            },
            .learned = small(&b, 0, 2) ? learned : NULL,
        };
        pos_suggestion out[12];
        size_t got = 0;
        size_t cap = (size_t)small(&b, 0, 13);
        if (pos_engine_score(engine, scratch, &q, out, cap, &got) == POS_OK)
            check_results(out, got, q.k, n, family, &q.config);
    }
    if (learned) {
        pos_learned_stats st;
        if (pos_learned_stats_get(learned, &st) != POS_OK || st.baskets < 0 || st.pairs < 0
            || st.dropped < 0 || (lp.max_pairs > 0 && st.pairs > lp.max_pairs)
            || pos_learned_memory(learned) == 0)
            abort();
    }
    pos_learned_free(learned);
    pos_scratch_free(scratch);
    pos_engine_free(engine);
    return 0;
}
