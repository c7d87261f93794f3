#pragma once
// The campaign circular (工作通报): HQ's monthly document to the county governments, built from
// the statistics API (app/statistics.h) so its numbers are the view's and the CLI's, and laid
// out as a government document (report/official_document.h).
//
// Contents: the title from the campaign (关于<campaign>工作情况的通报); 一、总体情况 (the
// headline numbers in a sentence); 二、分类情况 (a table by category); 三、各县区情况 (a table and
// a bar chart); 四、典型问题 (the most severe accepted findings of the period: official number,
// unit and facts, one paragraph each); 五、效能告诫情况; 六、存在问题和下一步工作 (HQ's own text).
// The period filters findings by the chosen date basis, complaints by the day received,
// rectifications by the day ordered and warnings by the day issued (statistics.h).
// A monthly register (the same tables) is written as XLSX for offices that edit before sending.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "app/context.h"
#include "app/statistics.h"
#include "report/official_document.h"

namespace jc::report {

struct CircularOptions {
    Date from, to;                       // the period, both days included
    std::string campaignId;              // "" = the store's active campaign (the newest if several)
    std::string dateBasis = "recorded";  // findings by recording or acceptance date
    std::string number;                  // 张监通〔2026〕12号 ("" = none)
    std::string notes;                   // 六、存在问题和下一步工作: one paragraph a line; 「（一）」 lines become Kai headings
    std::string issuer = "张掖市监察局";
    std::string addressee = "各县（区）人民政府，市直各有关部门：";
    std::string copyTo = "市委办公室，市人大常委会办公室，市政府办公室，市政协办公室。";
    std::optional<Date> issued;          // 成文日期; today when unset
    int typicalCases = 5;                // 四、典型问题: at most this many (0–20)
};

// The statistics the circular states, kept so tests and the register see the same numbers.
struct CircularFacts {
    std::string campaignTitle;
    FindingFilter filter;
    StatsResult overall;     // no dimension: the headline measures
    StatsResult byCategory;  // category rows
    StatsResult byCounty;    // county rows
    int64_t warningsByLevel[3] = {};  // reminder, warning, serious
};

struct Circular {
    OfficialDocument document;
    CircularFacts facts;
};

// Gathers the numbers and writes the text. Throws ValidationError for a bad period or campaign.
Circular buildCircular(AppContext& ctx, const CircularOptions& opt);

// The monthly register: the circular's tables as an XLSX workbook (first sheet: period, filters,
// time, who).
void writeCircularRegister(AppContext& ctx, const Circular& c, const std::filesystem::path& path, const std::string& exportedBy);

}  // namespace jc::report
