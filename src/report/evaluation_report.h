#pragma once
// Exports of an efficiency evaluation (app/evaluation.h): an XLSX workbook and a PDF laid out as a
// government document (report/official_document.h), both from the stored run, so they show exactly
// what the 效能评估 view and `jiancha evaluation show` show.
//
// XLSX sheets: 说明 (evaluation, campaign, period, status and version, grade thresholds, who and
// when), 排名 (rank, unit, score, grade), 得分构成 (per unit and indicator: raw value, how it was
// obtained, rule, score, weight, weighted score, number of cases), 评估方案 (indicator, source,
// weight, rule, definition). PDF: the scheme as a table, the ranking as a table, a bar chart of
// the top units' scores, and one paragraph per grade naming its units.
#include <filesystem>
#include <string>

#include "app/evaluation.h"
#include "report/official_document.h"

namespace jc::report {

// Throws ValidationError when the evaluation has no results yet; StorageError when the file
// cannot be written (a partial file is removed).
void writeEvaluationXlsx(const EvaluationDetail& d, const std::filesystem::path& path, const std::string& exportedBy);
OfficialDocument evaluationDocument(const EvaluationDetail& d, const Date& issued, const std::string& issuer = "张掖市监察局");
void writeEvaluationPdf(const EvaluationDetail& d, const std::filesystem::path& path, const Date& issued);

}  // namespace jc::report
