#include "pdf/tags.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>

#include "pdf/hpdfx.h"

typedef struct {
  int page, mcid;
} mcref;

typedef struct {
  VEC(mcref) content; /* its marked content, in the order drawn */
  VEC(int) children;  /* its child elements, in reading order */
} etree;

typedef struct {
  const nb_para *p;
  size_t line;
} lineref;

typedef struct {
  HPDF_Annotation annot;
  int page, elem;
} linkref;

struct nb_tags {
  const nb_pages *ps;
  VEC(linkref) links;
  etree *el;
  VEC(int) * mcids; /* per page: the element of each MCID */
  lineref *seen;    /* open addressing: the paragraph lines already shown */
  size_t seen_cap, seen_n;
  int open_tag; /* the element of the open text line (0: an artifact) */
};

nb_tags *nb_tags_new(const nb_pages *ps) {
  nb_tags *t = nb_xcalloc(1, sizeof *t);
  t->ps = ps;
  t->el = nb_xcalloc(ps->elems.n + 1, sizeof *t->el);
  t->mcids = nb_xcalloc(ps->pages.n + 1, sizeof *t->mcids);
  for (size_t e = 0; e < ps->elems.n; e++)
    if (ps->elems.v[e].parent >= 0) VEC_PUSH(t->el[ps->elems.v[e].parent].children, (int)e);
  return t;
}

void nb_tags_free(nb_tags *t) {
  if (!t) return;
  for (size_t e = 0; e < t->ps->elems.n; e++) {
    free(t->el[e].content.v);
    free(t->el[e].children.v);
  }
  for (size_t p = 0; p < t->ps->pages.n; p++) free(t->mcids[p].v);
  free(t->el);
  free(t->mcids);
  free(t->links.v);
  free(t->seen);
  free(t);
}

static size_t slot(const nb_tags *t, const nb_para *p, size_t line) {
  uint64_t h = ((uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15u) ^ (line * 0xC2B2AE3D27D4EB4Fu);
  size_t i = (size_t)(h >> 17) & (t->seen_cap - 1);
  while (t->seen[i].p && !(t->seen[i].p == p && t->seen[i].line == line))
    i = (i + 1) & (t->seen_cap - 1);
  return i;
}

/* 1 the first time a paragraph's line is drawn, 0 after. */
static int first_time(nb_tags *t, const nb_para *p, size_t line) {
  if (2 * (t->seen_n + 1) > t->seen_cap) {
    lineref *old = t->seen;
    size_t n = t->seen_cap;
    t->seen_cap = n ? 2 * n : 256;
    t->seen = nb_xcalloc(t->seen_cap, sizeof *t->seen);
    for (size_t i = 0; i < n; i++)
      if (old[i].p) t->seen[slot(t, old[i].p, old[i].line)] = old[i];
    free(old);
  }
  size_t i = slot(t, p, line);
  if (t->seen[i].p) return 0;
  t->seen[i] = (lineref){p, line};
  t->seen_n++;
  return 1;
}

static void open_mcid(nb_tags *t, nb_buf *cs, int page, int e) {
  int mcid = (int)t->mcids[page].n;
  VEC_PUSH(t->mcids[page], e);
  mcref m = {page, mcid};
  VEC_PUSH(t->el[e].content, m);
  nb_buf_printf(cs, "/%s <</MCID %d>> BDC\n", t->ps->elems.v[e].type, mcid);
}

void nb_tags_open_artifact(nb_buf *cs) { nb_buf_adds(cs, "/Artifact BMC\n"); }
void nb_tags_close(nb_buf *cs) { nb_buf_adds(cs, "EMC\n"); }

static int valid(const nb_tags *t, int tag) { return tag > 0 && (size_t)tag <= t->ps->elems.n; }

void nb_tags_open_text(nb_tags *t, nb_buf *cs, int page, const nb_item *it) {
  const nb_para *p = it->para;
  const nb_pline *ln = &p->lines[it->line];
  /* a line of a run-in heading's paragraph that starts past the heading is the paragraph's */
  int tag = p->tag2 && ln->g1 > ln->g0 && p->glyphs[ln->g0].seg >= p->seg2 ? p->tag2 : p->tag;
  t->open_tag = valid(t, tag) && first_time(t, p, it->line) ? tag : 0;
  if (t->open_tag)
    open_mcid(t, cs, page, tag - 1);
  else
    nb_tags_open_artifact(cs);
}

void nb_tags_text_seg(nb_tags *t, nb_buf *cs, int page, const nb_para *p, int seg) {
  if (!t->open_tag || !p->tag2 || seg < p->seg2 || t->open_tag == p->tag2 || !valid(t, p->tag2))
    return;
  nb_tags_close(cs);
  t->open_tag = p->tag2;
  open_mcid(t, cs, page, p->tag2 - 1);
}

void nb_tags_open_image(nb_tags *t, nb_buf *cs, int page, const nb_item *it) {
  if (valid(t, it->tag))
    open_mcid(t, cs, page, it->tag - 1);
  else
    nb_tags_open_artifact(cs);
}

void nb_tags_link(nb_tags *t, HPDF_Annotation a, int page, const nb_para *p, int seg) {
  int tag = p && p->tag2 && seg >= p->seg2 ? p->tag2 : p ? p->tag : 0;
  if (!a || !valid(t, tag)) return; /* in an artifact */
  linkref l = {a, page, tag - 1};
  VEC_PUSH(t->links, l);
}

/* /A: the table attributes of a header or data cell */
static HPDF_STATUS table_attrs(HPDF_Doc pdf, HPDF_Dict d, const nb_selem *e) {
  int th = !strcmp(e->type, "TH");
  if (!th && !e->rowspan && !e->colspan) return HPDF_OK;
  HPDF_Dict a = HPDF_Dict_New(pdf->mmgr);
  if (!a || HPDF_Dict_Add(d, "A", a) != HPDF_OK) return HPDF_FAILD_TO_ALLOC_MEM;
  HPDF_STATUS st = HPDF_Dict_AddName(a, "O", "Table");
  if (th && st == HPDF_OK) st = HPDF_Dict_AddName(a, "Scope", "Column");
  if (e->rowspan && st == HPDF_OK) st = HPDF_Dict_AddNumber(a, "RowSpan", e->rowspan);
  if (e->colspan && st == HPDF_OK) st = HPDF_Dict_AddNumber(a, "ColSpan", e->colspan);
  return st;
}

int nb_tags_write(nb_tags *t, HPDF_Doc pdf) {
  size_t ne = t->ps->elems.n, np = t->ps->pages.n;
  if (!ne) return 1;
  HPDF_Encoder utf8 = HPDF_GetEncoder(pdf, "UTF-8");
  HPDF_Dict *d = nb_xcalloc(ne, sizeof *d), root, tree, mark;
  HPDF_Array *karr = nb_xcalloc(ne, sizeof *karr);
  HPDF_Array top, nums;
  NEW(root, nb_pdf_indirect(pdf));
  TRY(HPDF_Dict_AddName(root, "Type", "StructTreeRoot"));
  for (size_t e = 0; e < ne; e++) {
    NEW(d[e], nb_pdf_indirect(pdf));
    TRY(HPDF_Dict_AddName(d[e], "Type", "StructElem"));
    TRY(HPDF_Dict_AddName(d[e], "S", t->ps->elems.v[e].type));
  }
  NEW(top, HPDF_Array_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(root, "K", top));
  for (size_t e = 0; e < ne; e++) {
    const nb_selem *se = &t->ps->elems.v[e];
    const etree *et = &t->el[e];
    if (se->parent < 0) TRY(HPDF_Array_Add(top, d[e]));
    TRY(HPDF_Dict_Add(d[e], "P", se->parent >= 0 ? d[se->parent] : root));
    HPDF_Array k;
    NEW(k, HPDF_Array_New(pdf->mmgr));
    TRY(HPDF_Dict_Add(d[e], "K", k));
    karr[e] = k;
    /* its own content first (a figure's image, a paragraph's lines), then its children (a
     * figure's caption after it; a table's caption, then its rows) */
    int pg = et->content.n ? et->content.v[0].page : -1;
    if (pg >= 0) TRY(HPDF_Dict_Add(d[e], "Pg", HPDF_GetPageByIndex(pdf, (HPDF_UINT)pg)));
    for (size_t i = 0; i < et->content.n; i++) {
      const mcref *m = &et->content.v[i];
      if (m->page == pg) {
        TRY(HPDF_Array_AddNumber(k, m->mcid));
        continue;
      }
      HPDF_Dict r;
      NEW(r, HPDF_Dict_New(pdf->mmgr));
      TRY(HPDF_Array_Add(k, r));
      TRY(HPDF_Dict_AddName(r, "Type", "MCR"));
      TRY(HPDF_Dict_Add(r, "Pg", HPDF_GetPageByIndex(pdf, (HPDF_UINT)m->page)));
      TRY(HPDF_Dict_AddNumber(r, "MCID", m->mcid));
    }
    for (size_t i = 0; i < et->children.n; i++) TRY(HPDF_Array_Add(k, d[et->children.v[i]]));
    if (se->lang) TRY(HPDF_Dict_Add(d[e], "Lang", HPDF_String_New(pdf->mmgr, se->lang, NULL)));
    if (se->alt) TRY(HPDF_Dict_Add(d[e], "Alt", HPDF_String_New(pdf->mmgr, se->alt, utf8)));
    TRY(table_attrs(pdf, d[e], se));
  }
  /* the parent tree: for each page (its /StructParents), the element of each MCID */
  NEW(tree, nb_pdf_indirect(pdf));
  NEW(nums, HPDF_Array_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(tree, "Nums", nums));
  for (size_t p = 0; p < np; p++) {
    HPDF_Page page = HPDF_GetPageByIndex(pdf, (HPDF_UINT)p);
    if (!page) goto fail;
    TRY(HPDF_Dict_AddNumber(page, "StructParents", (HPDF_INT32)p));
    HPDF_Array a;
    NEW(a, HPDF_Array_New(pdf->mmgr));
    TRY(HPDF_Array_AddNumber(nums, (HPDF_INT32)p));
    TRY(HPDF_Array_Add(nums, a));
    for (size_t i = 0; i < t->mcids[p].n; i++) TRY(HPDF_Array_Add(a, d[t->mcids[p].v[i]]));
  }
  /* links: a Link element after the rest of its paragraph's element, holding an object
   * reference to the annotation, which points back through its /StructParent key */
  for (size_t i = 0; i < t->links.n; i++) {
    const linkref *l = &t->links.v[i];
    HPDF_Dict le, objr;
    HPDF_Page page = HPDF_GetPageByIndex(pdf, (HPDF_UINT)l->page);
    HPDF_Array k;
    NEW(le, nb_pdf_indirect(pdf));
    TRY(HPDF_Dict_AddName(le, "Type", "StructElem"));
    TRY(HPDF_Dict_AddName(le, "S", "Link"));
    TRY(HPDF_Dict_Add(le, "P", d[l->elem]));
    TRY(HPDF_Dict_Add(le, "Pg", page));
    NEW(k, HPDF_Array_New(pdf->mmgr));
    TRY(HPDF_Dict_Add(le, "K", k));
    NEW(objr, HPDF_Dict_New(pdf->mmgr));
    TRY(HPDF_Array_Add(k, objr));
    TRY(HPDF_Dict_AddName(objr, "Type", "OBJR"));
    TRY(HPDF_Dict_Add(objr, "Obj", l->annot));
    TRY(HPDF_Dict_Add(objr, "Pg", page));
    TRY(HPDF_Array_Add(karr[l->elem], le));
    TRY(HPDF_Dict_AddNumber(l->annot, "StructParent", (HPDF_INT32)(np + i)));
    TRY(HPDF_Array_AddNumber(nums, (HPDF_INT32)(np + i)));
    TRY(HPDF_Array_Add(nums, le));
  }
  TRY(HPDF_Dict_Add(root, "ParentTree", tree));
  TRY(HPDF_Dict_AddNumber(root, "ParentTreeNextKey", (HPDF_INT32)(np + t->links.n)));
  NEW(mark, HPDF_Dict_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(pdf->catalog, "MarkInfo", mark));
  TRY(HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE));
  TRY(HPDF_Dict_Add(pdf->catalog, "StructTreeRoot", root));
  free(d);
  free(karr);
  return 1;
fail:
  free(d);
  free(karr);
  return 0;
}
