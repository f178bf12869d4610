/* The YAML tree: positions (1-based), kinds, typed reads, aliases and depth refused,
 * duplicate and unknown keys with suggestions, and duplicates found in n log n. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "content/ytree.h"
#include "harness.h"

static nb_ynode *load(nb_arena *a, const char *text, nb_diags *d) {
  return nb_yaml_load(a, "t.yaml", text, strlen(text), d);
}

int main(void) {
  nb_arena *a = nb_arena_new();
  nb_diags d = {0};
  nb_ynode *r = load(a, "a: 1\nb:\n  - x\n  - 'y'\nc: {d: true}\n", &d);
  CHECK(r && r->kind == NB_Y_MAP && r->n == 3);
  long v;
  CHECK(nb_y_int(nb_ymap_get(r, "a"), &v) && v == 1);
  nb_ynode *b = nb_ymap_get(r, "b");
  CHECK(b && b->kind == NB_Y_SEQ && b->n == 2);
  CHECK(b && b->vals[0]->plain && !b->vals[1]->plain);
  CHECK(b && b->vals[1]->pos.line == 4 && b->vals[1]->pos.col == 5);
  int t;
  CHECK(nb_y_bool(nb_ymap_get(nb_ymap_get(r, "c"), "d"), &t) && t == 1);
  CHECK_STR(nb_ykind_name(b), "a list");
  CHECK_INT(d.errors, 0);

  /* an empty document is an empty map */
  r = load(a, "", &d);
  CHECK(r && r->kind == NB_Y_MAP && r->n == 0);

  /* aliases, two documents and nesting past the limit are refused */
  nb_diags d2 = {0};
  CHECK(load(a, "a: &x 1\nb: *x\n", &d2) == NULL && d2.errors == 1 && d2.v[0].pos.line == 2);
  nb_diags_free(&d2);
  CHECK(load(a, "a: 1\n---\nb: 2\n", &d2) == NULL && d2.errors == 1);
  nb_diags_free(&d2);
  nb_buf deep = {0};
  for (int i = 0; i < 100; i++) nb_buf_adds(&deep, "[");
  for (int i = 0; i < 100; i++) nb_buf_adds(&deep, "]");
  CHECK(load(a, deep.s, &d2) == NULL && d2.errors == 1);
  nb_buf_free(&deep);
  nb_diags_free(&d2);

  /* unknown keys get a suggestion; duplicates name the first */
  static const char *const keys[] = {"caption", "image", "width", NULL};
  r = load(a, "captoin: x\nimage: y\nimage: z\n", &d2);
  CHECK_INT(nb_ymap_check_keys(r, keys, "figure", &d2), 2);
  CHECK(d2.n == 2 && strstr(d2.v[0].msg, "did you mean 'caption'"));
  CHECK(d2.n == 2 && d2.v[1].pos.line == 3 && strstr(d2.v[1].msg, "first at line 2"));
  nb_diags_free(&d2);

  /* 40 000 keys with one duplicate: found, quickly */
  nb_buf big = {0};
  for (int i = 0; i < 40000; i++) nb_buf_printf(&big, "k%d: 1\n", i);
  nb_buf_adds(&big, "k17: 2\n");
  r = nb_yaml_load(a, "t.yaml", big.s, big.n, &d2);
  clock_t t0 = clock();
  size_t *first = nb_ymap_first(r);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  CHECK(first[40000] == 17 && first[17] == 17 && first[39999] == 39999);
  CHECK(secs < 0.5);
  free(first);
  nb_buf_free(&big);
  nb_diags_free(&d2);
  nb_diags_free(&d);
  nb_arena_free(a);
  TEST_MAIN_END();
}
