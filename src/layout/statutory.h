/* The statutory tables 二 三 四 of the national annual-report formats (2019 and 2021):
 * their layout as general tables, the validation of the data section, and their labels.
 * Reference: shared/reference/statutory-tables.md §2–4 (layout), §7 (keys, English). */
#ifndef NB_STATUTORY_H
#define NB_STATUTORY_H

#include <stddef.h>

#include "base/diag.h"
#include "content/model.h"

/* Builds table 二 (which=2), 三 (3) or 四 (4) of the national format doc->meta.format
 * (2019 or 2021) as a general table in doc->arena: the national labels (zh, and en from
 * §7), row order, header rows, merged cells and column specs; data cells hold the data
 * section's scalars as written ("" when absent). The caption is left empty. NULL with an
 * error when `which` or the format is not known. */
nb_table *nb_statutory_table(const nb_doc *doc, int which, nb_diags *d);

/* Validates doc's data section against its format: unknown keys (errors, with a
 * suggestion), value domains, and the arithmetic of tables 三 and 四. Each finding names
 * the table, row and column, the expected and the found value, at the datum's position
 * (doc->data_pos when the cell is blank). Domain and arithmetic findings are errors when
 * `strict`, else warnings. Returns the number of findings. */
int nb_statutory_check(const nb_doc *doc, int strict, nb_diags *d);

/* 1 when `path` ("t3.disclosed.total") names a value of the national format `format`. */
int nb_statutory_known_path(int format, const char *path);
/* The value path of the format closest to `path` (edit distance) into `out`; 0 if none. */
int nb_statutory_suggest(int format, const char *path, char *out, size_t size);

/* The national label of a key of §7 ("disclosed" → "（一）予以公开" or "(1) Disclosed");
 * NULL when the key is unknown. */
const char *nb_statutory_label(const char *key, int english);

/* ---- The format description (statutory_data.c); shared with statutory.c only. ---- */

enum { NB_STAT_F2019 = 1, NB_STAT_F2021 = 2, NB_STAT_FBOTH = 3 };

typedef struct nb_stat_label {
  const char *key, *zh, *en;
} nb_stat_label;

/* Table 二: one group per item of 条例 第二十条, a 4-column grid. */
typedef struct nb_stat_t2_col {
  const char *key;   /* data key */
  const char *label; /* label key; NULL: same as key */
} nb_stat_t2_col;

typedef struct nb_stat_t2_group {
  const char *key;        /* art20_1 … art20_9 */
  const char *rows[3];    /* data rows, NULL-terminated */
  nb_stat_t2_col cols[4]; /* data columns, key NULL-terminated; the last spans the rest */
} nb_stat_t2_group;

/* Table 三: the rows in order; spans follow from the kinds. */
typedef enum {
  NB_T3_TOP, /* 一 二 四: label [cs 3], data */
  NB_T3_HEAD, /* 三、本年度办理结果: no row of its own; [rs] over the ITEM/GROUP/SUB rows below */
  NB_T3_ITEM,  /* （一）…: label [cs 2], data */
  NB_T3_GROUP, /* （三）…: no row of its own; [rs] over the SUB rows below */
  NB_T3_SUB,   /* 1. …: label, data */
} nb_stat_t3_kind;

typedef struct nb_stat_t3_row {
  const char *key;
  nb_stat_t3_kind kind;
  int formats; /* NB_STAT_F2019 | NB_STAT_F2021 */
} nb_stat_t3_row;

extern const nb_stat_label nb_stat_labels[];
extern const size_t nb_stat_nlabels;
extern const nb_stat_t2_group nb_stat_t2_2019[], nb_stat_t2_2021[];
extern const size_t nb_stat_t2_2019_n, nb_stat_t2_2021_n;
extern const nb_stat_t3_row nb_stat_t3_rows[];
extern const size_t nb_stat_t3_nrows;
extern const char *const nb_stat_t3_cols[7];   /* natural_person … other_org, total */
extern const char *const nb_stat_t4_groups[3]; /* reconsideration, direct_suit, suit_after */
extern const char *const nb_stat_t4_cols[5];   /* upheld, corrected, other_result, pending, total */

const nb_stat_label *nb_stat_label_find(const char *key);

#endif
