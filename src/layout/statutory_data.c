/* The national table formats as data: labels (§7 of statutory-tables.md) and the row and
 * column lists of tables 二 三 四. statutory.c draws and checks the tables from these. */
#include <string.h>

#include "layout/statutory.h"

const nb_stat_label nb_stat_labels[] = {
    {"report", "政府信息公开工作年度报告", "Annual Report on Government Information Disclosure"},
    {"regulations", "中华人民共和国政府信息公开条例",
     "Regulations of the People's Republic of China on the Disclosure of Government "
     "Information"},
    {"s1", "一、总体情况", "I. Overview"},
    {"s2", "二、主动公开政府信息情况", "II. Proactive Disclosure of Government Information"},
    {"s3", "三、收到和处理政府信息公开申请情况",
     "III. Receipt and Handling of Applications for Disclosure"},
    {"s4", "四、政府信息公开行政复议、行政诉讼情况",
     "IV. Administrative Reconsideration and Litigation on Disclosure"},
    {"s5", "五、存在的主要问题及改进情况", "V. Main Problems and Improvements"},
    {"s6", "六、其他需要报告的事项", "VI. Other Matters to Report"},
    {"info_fee", "信息处理费", "information processing fee"},

    /* table 二 */
    {"content", "信息内容", "Type of information"},
    {"art20_1", "第二十条第（一）项", "Article 20, Item (1)"},
    {"art20_5", "第二十条第（五）项", "Article 20, Item (5)"},
    {"art20_6", "第二十条第（六）项", "Article 20, Item (6)"},
    {"art20_8", "第二十条第（八）项", "Article 20, Item (8)"},
    {"art20_9", "第二十条第（九）项", "Article 20, Item (9)"},
    {"rules", "规章", "Rules"},
    {"norm_docs", "规范性文件", "Normative documents"},
    {"admin_norm_docs", "行政规范性文件", "Administrative normative documents"},
    {"made", "本年新制作数量", "Newly produced this year"},
    {"published", "本年新公开数量", "Newly disclosed this year"},
    {"published_total", "对外公开总数量", "Total disclosed"},
    {"issued", "本年制发件数", "Issued this year"},
    {"repealed", "本年废止件数", "Repealed this year"},
    {"in_force", "现行有效件数", "In force"},
    {"licensing", "行政许可", "Administrative licensing"},
    {"other_services", "其他对外管理服务事项", "Other external administrative services"},
    {"penalty", "行政处罚", "Administrative penalties"},
    {"coercion", "行政强制", "Administrative coercion"},
    {"items_prev", "上一年项目数量", "Items in previous year"},
    {"change", "本年增/减", "Change this year (+/\u2212)"},
    {"decisions", "处理决定数量", "Decisions made"},
    /* the 2021 format renamed the column; the data key stays `decisions` */
    {"decisions_2021", "本年处理决定数量", "Decisions made this year"},
    {"fees", "行政事业性收费", "Administrative and institutional fees"},
    {"fee_amount", "本年收费金额（单位：万元）", "Fees collected this year (unit: 10,000 yuan)"},
    {"procurement", "政府集中采购", "Centralized government procurement"},
    {"projects", "采购项目数量", "Procurement projects"},
    {"amount", "采购总金额", "Total procurement value"},

    /* table 三 */
    {"note", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
     "(In each column: items I + II = items III + IV)"},
    {"applicants", "申请人情况", "Applicants"},
    {"natural_person", "自然人", "Natural persons"},
    {"legal_or_org", "法人或其他组织", "Legal persons or other organizations"},
    {"commercial", "商业企业", "Commercial enterprises"},
    {"research", "科研机构", "Research institutions"},
    {"public_welfare", "社会公益组织", "Public-welfare organizations"},
    {"legal_service", "法律服务机构", "Legal service providers"},
    {"other_org", "其他", "Others"},
    {"total", "总计", "Total"},
    {"new_received", "一、本年新收政府信息公开申请数量", "I. New applications received this year"},
    {"carried_over", "二、上年结转政府信息公开申请数量", "II. Carried over from last year"},
    {"results", "三、本年度办理结果", "III. Outcomes this year"},
    {"disclosed", "（一）予以公开", "(1) Disclosed"},
    {"partly", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
     "(2) Partly disclosed (if separated, count here only)"},
    {"refused", "（三）不予公开", "(3) Disclosure refused"},
    {"refused_secret", "1.属于国家秘密", "1. State secret"},
    {"refused_law", "2.其他法律行政法规禁止公开",
     "2. Barred by other laws or administrative regulations"},
    {"refused_security", "3.危及“三安全一稳定”",
     "3. Would endanger national, public or economic security or social stability"},
    {"refused_3rd_party", "4.保护第三方合法权益",
     "4. Protecting third parties' lawful rights and interests"},
    {"refused_internal", "5.属于三类内部事务信息",
     "5. Internal affairs (personnel, logistics, internal procedure)"},
    {"refused_process", "6.属于四类过程性信息",
     "6. Process information (deliberations, drafts, consultations, requests for "
     "instructions)"},
    {"refused_case_file", "7.属于行政执法案卷", "7. Administrative law-enforcement case file"},
    {"refused_inquiry", "8.属于行政查询事项",
     "8. Matter for administrative inquiry (own access route)"},
    {"unable", "（四）无法提供", "(4) Unable to provide"},
    {"unable_not_held", "1.本机关不掌握相关政府信息", "1. Not held by this organ"},
    {"unable_create", "2.没有现成信息需要另行制作",
     "2. No existing information; would have to be created"},
    {"unable_unclear", "3.补正后申请内容仍不明确", "3. Still unclear after amendment"},
    {"unhandled", "（五）不予处理", "(5) Handling refused"},
    {"unhandled_petition", "1.信访举报投诉类申请", "1. Petition, report or complaint"},
    {"unhandled_repeat", "2.重复申请", "2. Repeated application"},
    {"unhandled_pubs", "3.要求提供公开出版物", "3. Request for publications"},
    {"unhandled_mass", "4.无正当理由大量反复申请",
     "4. Mass repeated applications without justifiable reason"},
    {"unhandled_confirm", "5.要求行政机关确认或重新出具已获取信息",
     "5. Request to confirm or re-issue information already obtained"},
    {"other", "（六）其他处理", "(6) Other handling"},
    {"other_unamended", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
     "1. Applicant failed to amend in time without good reason; not processed further"},
    {"other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
     "2. Applicant did not pay the notified fee in time; not processed further"},
    {"other_other", "3.其他", "3. Other"},
    {"results_total", "（七）总计", "(7) Total"},
    {"carried_forward", "四、结转下年度继续办理", "IV. Carried over to next year"},

    /* table 四 */
    {"reconsideration", "行政复议", "Administrative reconsideration"},
    {"litigation", "行政诉讼", "Administrative litigation"},
    {"direct_suit", "未经复议直接起诉", "Filed without reconsideration"},
    {"suit_after", "复议后起诉", "Filed after reconsideration"},
    {"upheld", "结果维持", "Upheld"},
    {"corrected", "结果纠正", "Corrected"},
    {"other_result", "其他结果", "Other outcome"},
    {"pending", "尚未审结", "Pending"},
};
const size_t nb_stat_nlabels = sizeof nb_stat_labels / sizeof nb_stat_labels[0];

const nb_stat_label *nb_stat_label_find(const char *key) {
  if (!key) return NULL;
  for (size_t i = 0; i < nb_stat_nlabels; i++)
    if (!strcmp(nb_stat_labels[i].key, key)) return &nb_stat_labels[i];
  return NULL;
}

/* §2, 2019: 20 values. */
const nb_stat_t2_group nb_stat_t2_2019[] = {
    {"art20_1",
     {"rules", "norm_docs"},
     {{"made", NULL}, {"published", NULL}, {"published_total", NULL}}},
    {"art20_5",
     {"licensing", "other_services"},
     {{"items_prev", NULL}, {"change", NULL}, {"decisions", NULL}}},
    {"art20_6",
     {"penalty", "coercion"},
     {{"items_prev", NULL}, {"change", NULL}, {"decisions", NULL}}},
    {"art20_8", {"fees"}, {{"items_prev", NULL}, {"change", NULL}}},
    {"art20_9", {"procurement"}, {{"projects", NULL}, {"amount", NULL}}},
};
const size_t nb_stat_t2_2019_n = sizeof nb_stat_t2_2019 / sizeof nb_stat_t2_2019[0];

/* §2, 2021: 10 values. */
const nb_stat_t2_group nb_stat_t2_2021[] = {
    {"art20_1",
     {"rules", "admin_norm_docs"},
     {{"issued", NULL}, {"repealed", NULL}, {"in_force", NULL}}},
    {"art20_5", {"licensing"}, {{"decisions", "decisions_2021"}}},
    {"art20_6", {"penalty", "coercion"}, {{"decisions", "decisions_2021"}}},
    {"art20_8", {"fees"}, {{"fee_amount", NULL}}},
};
const size_t nb_stat_t2_2021_n = sizeof nb_stat_t2_2021 / sizeof nb_stat_t2_2021[0];

/* §3: both formats; they differ only in （六）. */
const nb_stat_t3_row nb_stat_t3_rows[] = {
    {"new_received", NB_T3_TOP, NB_STAT_FBOTH},
    {"carried_over", NB_T3_TOP, NB_STAT_FBOTH},
    {"results", NB_T3_HEAD, NB_STAT_FBOTH},
    {"disclosed", NB_T3_ITEM, NB_STAT_FBOTH},
    {"partly", NB_T3_ITEM, NB_STAT_FBOTH},
    {"refused", NB_T3_GROUP, NB_STAT_FBOTH},
    {"refused_secret", NB_T3_SUB, NB_STAT_FBOTH},
    {"refused_law", NB_T3_SUB, NB_STAT_FBOTH},
    {"refused_security", NB_T3_SUB, NB_STAT_FBOTH},
    {"refused_3rd_party", NB_T3_SUB, NB_STAT_FBOTH},
    {"refused_internal", NB_T3_SUB, NB_STAT_FBOTH},
    {"refused_process", NB_T3_SUB, NB_STAT_FBOTH},
    {"refused_case_file", NB_T3_SUB, NB_STAT_FBOTH},
    {"refused_inquiry", NB_T3_SUB, NB_STAT_FBOTH},
    {"unable", NB_T3_GROUP, NB_STAT_FBOTH},
    {"unable_not_held", NB_T3_SUB, NB_STAT_FBOTH},
    {"unable_create", NB_T3_SUB, NB_STAT_FBOTH},
    {"unable_unclear", NB_T3_SUB, NB_STAT_FBOTH},
    {"unhandled", NB_T3_GROUP, NB_STAT_FBOTH},
    {"unhandled_petition", NB_T3_SUB, NB_STAT_FBOTH},
    {"unhandled_repeat", NB_T3_SUB, NB_STAT_FBOTH},
    {"unhandled_pubs", NB_T3_SUB, NB_STAT_FBOTH},
    {"unhandled_mass", NB_T3_SUB, NB_STAT_FBOTH},
    {"unhandled_confirm", NB_T3_SUB, NB_STAT_FBOTH},
    {"other", NB_T3_ITEM, NB_STAT_F2019},
    {"other", NB_T3_GROUP, NB_STAT_F2021},
    {"other_unamended", NB_T3_SUB, NB_STAT_F2021},
    {"other_unpaid_fee", NB_T3_SUB, NB_STAT_F2021},
    {"other_other", NB_T3_SUB, NB_STAT_F2021},
    {"results_total", NB_T3_ITEM, NB_STAT_FBOTH},
    {"carried_forward", NB_T3_TOP, NB_STAT_FBOTH},
};
const size_t nb_stat_t3_nrows = sizeof nb_stat_t3_rows / sizeof nb_stat_t3_rows[0];

const char *const nb_stat_t3_cols[7] = {"natural_person", "commercial",    "research",
                                        "public_welfare", "legal_service", "other_org",
                                        "total"};

/* §4: the same in both formats. */
const char *const nb_stat_t4_groups[3] = {"reconsideration", "direct_suit", "suit_after"};
const char *const nb_stat_t4_cols[5] = {"upheld", "corrected", "other_result", "pending", "total"};
