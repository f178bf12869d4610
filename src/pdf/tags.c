#include "pdf/tags.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>

#include "pdf/hpdfx.h"

/* What an element holds, in reading order: marked content (page and MCID), or a Link
 * element met inside its text (node >= 0). */
typedef struct {
  int page, mcid, node;
} kid;

typedef struct {
  HPDF_Annotation annot;
  int page;
} annref;

/* A node of the tree: the layout's elements (0 … ne-1), then the Link elements made while
 * the text is drawn (a link's text is its own marked content, inside its paragraph's). */
typedef struct {
  VEC(kid) content;  /* in the order drawn */
  VEC(int) children; /* the layout's child elements, in reading order */
  /* Link nodes */
  const nb_para *p;
  int seg, parent;
  VEC(annref) annots;
} node;

typedef struct {
  const nb_para *p;
  size_t line;
} lineref;

struct nb_tags {
  const nb_pages *ps;
  VEC(node) nodes;
  VEC(int) * mcids; /* per page: the node of each MCID */
  lineref *seen;    /* open addressing: the paragraph lines already shown */
  size_t seen_cap, seen_n;
  int line_tagged; /* the open text line is content (not an artifact) */
  int open;        /* the node whose marked content is open in it, or -1 */
  size_t nannots;
};

nb_tags *nb_tags_new(const nb_pages *ps) {
  nb_tags *t = nb_xcalloc(1, sizeof *t);
  t->ps = ps;
  for (size_t e = 0; e < ps->elems.n; e++) {
    node n = {.parent = ps->elems.v[e].parent};
    VEC_PUSH(t->nodes, n);
  }
  t->mcids = nb_xcalloc(ps->pages.n + 1, sizeof *t->mcids);
  for (size_t e = 0; e < ps->elems.n; e++)
    if (ps->elems.v[e].parent >= 0) VEC_PUSH(t->nodes.v[ps->elems.v[e].parent].children, (int)e);
  return t;
}

void nb_tags_free(nb_tags *t) {
  if (!t) return;
  for (size_t e = 0; e < t->nodes.n; e++) {
    free(t->nodes.v[e].content.v);
    free(t->nodes.v[e].children.v);
    free(t->nodes.v[e].annots.v);
  }
  for (size_t p = 0; p < t->ps->pages.n; p++) free(t->mcids[p].v);
  free(t->nodes.v);
  free(t->mcids);
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

static const char *type_of(const nb_tags *t, int n) {
  return (size_t)n < t->ps->elems.n ? t->ps->elems.v[n].type : "Link";
}

static void open_mcid(nb_tags *t, nb_buf *cs, int page, int n) {
  int mcid = (int)t->mcids[page].n;
  VEC_PUSH(t->mcids[page], n);
  kid k = {page, mcid, -1};
  VEC_PUSH(t->nodes.v[n].content, k);
  nb_buf_printf(cs, "/%s <</MCID %d>> BDC\n", type_of(t, n), mcid);
}

void nb_tags_open_artifact(nb_buf *cs) { nb_buf_adds(cs, "/Artifact BMC\n"); }
void nb_tags_close(nb_buf *cs) { nb_buf_adds(cs, "EMC\n"); }

static int valid(const nb_tags *t, int tag) { return tag > 0 && (size_t)tag <= t->ps->elems.n; }

/* The element of segment `seg` of p: its own, or the paragraph a run-in heading opens. */
static int tag_of(const nb_para *p, int seg) {
  return p->tag2 && seg >= p->seg2 ? p->tag2 : p->tag;
}

/* The Link node of a link's text (segment seg of p), or -1; made when `make`. */
static int link_node(nb_tags *t, const nb_para *p, int seg, int make) {
  for (size_t i = t->ps->elems.n; i < t->nodes.n; i++)
    if (t->nodes.v[i].p == p && t->nodes.v[i].seg == seg) return (int)i;
  if (!make) return -1;
  int parent = tag_of(p, seg) - 1, n = (int)t->nodes.n;
  node ln = {.p = p, .seg = seg, .parent = parent};
  VEC_PUSH(t->nodes, ln);
  kid k = {0, 0, n}; /* the link stands in its paragraph's content where its text is */
  VEC_PUSH(t->nodes.v[parent].content, k);
  return n;
}

void nb_tags_open_text(nb_tags *t, nb_buf *cs, int page, const nb_item *it) {
  (void)page;
  const nb_para *p = it->para;
  const nb_pline *ln = &p->lines[it->line];
  int seg = ln->g1 > ln->g0 ? p->glyphs[ln->g0].seg : 0;
  t->line_tagged = valid(t, tag_of(p, seg)) && first_time(t, p, it->line);
  t->open = -1;
  if (!t->line_tagged) nb_tags_open_artifact(cs);
}

void nb_tags_text_seg(nb_tags *t, nb_buf *cs, int page, const nb_para *p, int seg) {
  if (!t->line_tagged || !valid(t, tag_of(p, seg))) return;
  int n = p->segs[seg].link ? link_node(t, p, seg, 1) : tag_of(p, seg) - 1;
  if (n == t->open) return;
  if (t->open >= 0) nb_tags_close(cs);
  open_mcid(t, cs, page, n);
  t->open = n;
}

void nb_tags_close_text(nb_tags *t, nb_buf *cs) {
  if (!t->line_tagged || t->open >= 0) nb_tags_close(cs);
  t->open = -1;
}

void nb_tags_open_image(nb_tags *t, nb_buf *cs, int page, const nb_item *it) {
  if (valid(t, it->tag))
    open_mcid(t, cs, page, it->tag - 1);
  else
    nb_tags_open_artifact(cs);
}

void nb_tags_link(nb_tags *t, HPDF_Annotation a, int page, const nb_para *p, int seg) {
  int n = a && p ? link_node(t, p, seg, 0) : -1;
  if (n < 0) return; /* its text is an artifact (drawn again) */
  annref r = {a, page};
  VEC_PUSH(t->nodes.v[n].annots, r);
  t->nannots++;
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
  size_t ne = t->ps->elems.n, nn = t->nodes.n, np = t->ps->pages.n, key = np;
  if (!ne) return 1;
  HPDF_Encoder utf8 = HPDF_GetEncoder(pdf, "UTF-8");
  HPDF_Dict *d = nb_xcalloc(nn, sizeof *d), root, tree, mark;
  HPDF_Array top, nums;
  NEW(root, nb_pdf_indirect(pdf));
  TRY(HPDF_Dict_AddName(root, "Type", "StructTreeRoot"));
  for (size_t e = 0; e < nn; e++) {
    NEW(d[e], nb_pdf_indirect(pdf));
    TRY(HPDF_Dict_AddName(d[e], "Type", "StructElem"));
    TRY(HPDF_Dict_AddName(d[e], "S", type_of(t, (int)e)));
  }
  NEW(top, HPDF_Array_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(root, "K", top));
  NEW(tree, nb_pdf_indirect(pdf));
  NEW(nums, HPDF_Array_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(tree, "Nums", nums));
  /* the parent tree: for each page (its /StructParents), the element of each MCID */
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
  for (size_t e = 0; e < nn; e++) {
    const node *n = &t->nodes.v[e];
    if (n->parent < 0) TRY(HPDF_Array_Add(top, d[e]));
    TRY(HPDF_Dict_Add(d[e], "P", n->parent >= 0 ? d[n->parent] : root));
    HPDF_Array k;
    NEW(k, HPDF_Array_New(pdf->mmgr));
    TRY(HPDF_Dict_Add(d[e], "K", k));
    /* its own content first, in the order drawn (a paragraph's lines, the links in them; a
     * figure's image), then its children (a figure's caption after it; a table's caption,
     * then its rows) */
    int pg = -1;
    for (size_t i = 0; i < n->content.n && pg < 0; i++)
      if (n->content.v[i].node < 0) pg = n->content.v[i].page;
    if (pg >= 0) TRY(HPDF_Dict_Add(d[e], "Pg", HPDF_GetPageByIndex(pdf, (HPDF_UINT)pg)));
    for (size_t i = 0; i < n->content.n; i++) {
      const kid *m = &n->content.v[i];
      if (m->node >= 0) {
        TRY(HPDF_Array_Add(k, d[m->node]));
        continue;
      }
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
    for (size_t i = 0; i < n->children.n; i++) TRY(HPDF_Array_Add(k, d[n->children.v[i]]));
    /* a link's annotations: an object reference each, the annotation pointing back through
     * its /StructParent key */
    for (size_t i = 0; i < n->annots.n; i++) {
      const annref *a = &n->annots.v[i];
      HPDF_Dict objr;
      NEW(objr, HPDF_Dict_New(pdf->mmgr));
      TRY(HPDF_Array_Add(k, objr));
      TRY(HPDF_Dict_AddName(objr, "Type", "OBJR"));
      TRY(HPDF_Dict_Add(objr, "Obj", a->annot));
      TRY(HPDF_Dict_Add(objr, "Pg", HPDF_GetPageByIndex(pdf, (HPDF_UINT)a->page)));
      TRY(HPDF_Dict_AddNumber(a->annot, "StructParent", (HPDF_INT32)key));
      TRY(HPDF_Array_AddNumber(nums, (HPDF_INT32)key++));
      TRY(HPDF_Array_Add(nums, d[e]));
    }
    if (e >= ne) continue;
    const nb_selem *se = &t->ps->elems.v[e];
    if (se->lang) TRY(HPDF_Dict_Add(d[e], "Lang", HPDF_String_New(pdf->mmgr, se->lang, NULL)));
    if (se->alt) TRY(HPDF_Dict_Add(d[e], "Alt", HPDF_String_New(pdf->mmgr, se->alt, utf8)));
    TRY(table_attrs(pdf, d[e], se));
  }
  TRY(HPDF_Dict_Add(root, "ParentTree", tree));
  TRY(HPDF_Dict_AddNumber(root, "ParentTreeNextKey", (HPDF_INT32)key));
  NEW(mark, HPDF_Dict_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(pdf->catalog, "MarkInfo", mark));
  TRY(HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE));
  TRY(HPDF_Dict_Add(pdf->catalog, "StructTreeRoot", root));
  free(d);
  return 1;
fail:
  free(d);
  return 0;
}
