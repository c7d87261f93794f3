#include "demo/demo_text.h"

#include "core/utf8.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

namespace jc::demo {

// [SECTION] Random numbers

uint64_t Rng::next() {
    uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int Rng::below(int n) { return n <= 0 ? 0 : static_cast<int>(next() % static_cast<uint64_t>(n)); }
int Rng::range(int lo, int hi) { return lo + below(hi - lo + 1); }
int64_t Rng::range64(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
}
bool Rng::chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
double Rng::real(double lo, double hi) { return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1.0p-53; }

int Rng::weighted(std::initializer_list<int> weights) {
    int total = 0;
    for (int w : weights) total += w;
    int r = below(total), i = 0;
    for (int w : weights) {
        if (r < w) return i;
        r -= w;
        ++i;
    }
    return 0;
}

uint64_t mixSeed(uint64_t seed, uint64_t stream) {
    Rng r(seed ^ (stream * 0xD1B54A32D192ED03ULL));
    r.next();
    return r.next();
}


namespace {

// [SECTION] Formatting helpers

template <class... A>
std::string fmt(const char* f, A... a) {
    int n = std::snprintf(nullptr, 0, f, a...);
    std::string out(static_cast<size_t>(n < 0 ? 0 : n), '\0');
    std::snprintf(out.data(), out.size() + 1, f, a...);
    return out;
}

std::string n2s(int64_t v) { return std::to_string(v); }

std::string cnDate(const Date& d) { return fmt("%d年%d月%d日", d.year, d.month, d.day); }
std::string cnMonth(const Date& d) { return fmt("%d年%d月", d.year, d.month); }

// 5236000 yuan -> "523.6万元"; 8600 -> "8600元".
std::string yuan(int64_t y) {
    if (y < 10000) return n2s(y) + "元";
    std::string s = fmt("%.2f", static_cast<double>(y) / 10000.0);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s + "万元";
}

std::string fenToYuan(const Json& v) { return yuan(v.get<int64_t>() / 100); }

template <size_t N>
const char* pickc(Rng& r, const char* const (&arr)[N]) {
    return arr[r.below(static_cast<int>(N))];
}

const char* const kVillages[] = {"红沙窝", "西洞",   "新建", "上堡", "下寨", "十里", "双墩",  "五里墩",
                                 "沙湾",   "西湾",   "石岗墩", "东湖", "永星", "兴隆", "前进", "五一"};
const char* const kRivers[] = {"黑河", "山丹河", "梨园河", "洪水河", "大都麻河"};

// Approximate centres of the counties (for plausible GPS points).
void countyCentre(const std::string& county, double& lat, double& lon) {
    struct C {
        const char* code;
        double lat, lon;
    };
    static const C cs[] = {{"620702", 38.93, 100.45}, {"620721", 38.83, 99.62}, {"620722", 38.43, 100.81},
                           {"620723", 39.15, 100.16}, {"620724", 39.38, 99.82}, {"620725", 38.78, 101.09}};
    lat = 38.93, lon = 100.45;
    for (const auto& c : cs)
        if (county == c.code) lat = c.lat, lon = c.lon;
}

std::string unitName(const UnitInfo* u, const char* fallback) { return u ? u->name : fallback; }
std::string personName(const Parties& p, size_t i) { return i < p.persons.size() ? p.persons[i]->name : "有关负责人"; }
std::string personPost(const Parties& p, size_t i) { return i < p.persons.size() ? p.persons[i]->post : "负责人"; }
std::string town(const Parties& p) { return p.place->countyName + p.place->name; }

}  // namespace

// [SECTION] Units, persons and users

std::vector<UnitSpec> unitSpecsFor(const std::vector<Township>& townships) {
    std::vector<UnitSpec> out;
    std::vector<std::string> counties;
    for (const auto& t : townships) {
        if (std::find(counties.begin(), counties.end(), t.countyCode) == counties.end()) counties.push_back(t.countyCode);
        bool street = t.name.size() >= 6 && t.name.compare(t.name.size() - 6, 6, "街道") == 0;
        out.push_back({t.countyName + t.name + (street ? "办事处" : "人民政府"), "township_gov", "township", t.code,
                       t.countyCode});
    }
    static const char* const kConstruction[] = {"祁连", "恒达", "宏远", "金城", "鑫盛", "华源"};
    static const char* const kLabour[] = {"顺达", "兴业", "诚信", "众合", "安泰", "永盛"};
    static const char* const kIndustrial[] = {"弱水化工有限责任公司", "丹霞淀粉有限公司", "焉支建材有限公司",
                                              "扁都造纸有限公司",     "合黎煤业有限公司", "马蹄畜产品加工有限公司"};
    static const char* const kFood[] = {"金穗食品有限公司", "润泽乳业有限公司", "绿洲肉类加工有限公司",
                                        "雪峰饮品有限公司", "康源大药房连锁有限公司", "陇原食品有限公司"};
    static const char* const kSoe[] = {"农机修造厂", "水泥厂", "酒厂", "面粉厂", "运输公司", "糖厂"};
    for (size_t ci = 0; ci < counties.size(); ++ci) {
        const Township* first = nullptr;
        std::vector<const Township*> mine;
        for (const auto& t : townships)
            if (t.countyCode == counties[ci]) mine.push_back(&t);
        first = mine.front();
        const std::string& cn = first->countyName;
        const std::string& sh = first->countyShort;
        auto at = [&](size_t k) { return mine[k % mine.size()]->code; };
        const std::string& cc = counties[ci];
        out.push_back({cn + "人力资源和社会保障局", "department", "hrss", cc, cc});
        out.push_back({cn + "自然资源局", "department", "land", cc, cc});
        out.push_back({cn + "住房和城乡建设局", "department", "housing", cc, cc});
        out.push_back({cn + "市场监督管理局", "department", "market", cc, cc});
        out.push_back({"张掖市生态环境局" + sh + "分局", "department", "eco", cc, cc});
        out.push_back({cn + "工业和信息化局", "department", "industry", cc, cc});
        size_t k = ci % 6;
        out.push_back({std::string("甘肃") + kConstruction[k] + "建设工程有限公司", "enterprise", "construction", at(1), cc});
        out.push_back({sh + kLabour[k] + "劳务有限公司", "enterprise", "labour", at(2), cc});
        out.push_back({sh + kIndustrial[k], "enterprise", "industrial", at(3), cc});
        out.push_back({sh + kIndustrial[(k + 3) % 6], "enterprise", "industrial", at(4), cc});
        out.push_back({sh + kFood[k], "enterprise", "food", at(5), cc});
        out.push_back({sh + kFood[(k + 2) % 6], "enterprise", "food", at(6), cc});
        out.push_back({cn + kSoe[k], "enterprise", "soe", at(7), cc});
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> personSpecsFor(const UnitSpec& unit, int serial) {
    static const char* const kSurnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙",
                                            "马", "朱", "胡", "郭", "何", "高", "罗", "郑", "梁", "谢", "宋", "唐",
                                            "韩", "冯", "邓", "曹", "彭", "田", "董", "袁", "魏", "蒋", "蔡", "贾",
                                            "丁", "薛", "闫", "雷", "安", "祁", "鲁", "常", "巴", "妥"};
    static const char* const kGiven[] = {"建国", "志强", "秀英", "海燕", "文斌", "红梅", "国栋", "玉兰", "德明",
                                         "永红", "晓东", "静",   "敏",   "军",   "涛",   "丽娟", "学文", "春生",
                                         "兴旺", "雪梅", "国庆", "天佑", "兆龙", "振华", "淑珍", "宏伟", "玉霞",
                                         "成林", "耀武", "桂英", "新民", "海军", "丽萍", "明远", "立新", "卫东"};
    // Rare characters in ordinary names: 堃 (U+5803), 喆 (U+5586), 䶮 (U+4DAE, CJK Extension A).
    static const char* const kRareGiven[] = {"堃", "喆", "䶮", "子堃", "思喆", "文䶮"};
    std::vector<std::string> posts;
    if (unit.role == "township") {
        bool street = unit.name.find("街道") != std::string::npos;
        bool xiang = !street && unit.name.find("乡人民政府") != std::string::npos;
        posts = {street ? "主任" : (xiang ? "乡长" : "镇长"), street ? "副主任" : (xiang ? "副乡长" : "副镇长"),
                 "党政办主任"};
    } else if (unit.kind == "department") {
        static const char* const kStations[] = {"综合股股长", "执法大队队长", "审批股股长"};
        posts = {unit.role == "eco" ? "分局局长" : "局长", "副局长", kStations[serial % 3]};
    } else {
        posts = {"法定代表人", unit.role == "construction" || unit.role == "labour" ? "项目经理" : "总经理", "财务负责人"};
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (size_t i = 0; i < posts.size(); ++i) {
        int n = serial * 3 + static_cast<int>(i);
        std::string name = kSurnames[(n * 7 + 3) % std::size(kSurnames)];
        if (n % 29 == 5)
            name += kRareGiven[(n / 29) % std::size(kRareGiven)];
        else
            name += kGiven[(n * 11 + serial) % std::size(kGiven)];
        out.emplace_back(name, posts[i]);
    }
    return out;
}

const std::vector<std::string>& demoInspectorNames() {
    static const std::vector<std::string> names = {"张伟", "李娜", "王磊", "赵敏", "刘洋"};
    return names;
}

const std::string& demoLeadName() {
    static const std::string name = "陈静";
    return name;
}

std::string campaignShortName() { return "行政效能专项监察"; }

CategoryCast castFor(const std::string& c) {
    if (c == "wage_arrears") return {"construction", "hrss", 0.5, 0.2};
    if (c == "land_acquisition") return {"construction", "land", 0.0, 0.6};
    if (c == "demolition") return {"construction", "housing", 0.1, 0.45};
    if (c == "restructuring") return {"soe", "industry", 0.5, 0.0};
    if (c == "pollution") return {"industrial", "eco", 0.6, 0.0};
    return {"food", "market", 0.55, 0.0};  // food_drug
}

// [SECTION] Findings: per-category facts, template values and title

namespace {

struct Facts {
    std::string title;
    std::vector<std::string> facts;   // core sentences (always used)
    std::vector<std::string> extras;  // optional detail, used to reach the length
    std::string area;
    std::vector<std::string> misconduct;
    std::string loophole, recommendation;
};

Facts wageFacts(Rng& r, const Parties& p, const Date& day, Json& v) {
    static const char* const kProjects[] = {"安置小区二期工程", "城区供热管网改造工程", "高标准农田建设项目",
                                            "农村饮水安全巩固提升工程", "中学教学楼建设项目", "物流园区仓储用房工程",
                                            "老旧小区改造工程", "乡村振兴示范村道路硬化工程"};
    static const char* const kRoles[] = {"general_contractor", "subcontractor", "labour_boss", "developer"};
    std::string project = p.place->name + pickc(r, kProjects);
    std::string employer = unitName(p.enterprise, "某建设工程有限公司");
    int workers = r.range(8, 260);
    int months = r.range(2, 14);
    int64_t owed = static_cast<int64_t>(workers) * r.range(3000, 16000);
    int64_t paid = r.chance(0.6) ? owed * r.range(0, 60) / 100 : 0;
    Date due = day.plusDays(-30L * months);
    v = {{"employer", employer},           {"project", project},        {"project_region", p.place->code},
         {"workers_affected", workers},    {"amount_owed", owed * 100}, {"amount_paid", paid * 100},
         {"due_date", due.str()},          {"months_overdue", months},  {"wage_deposit_paid", r.chance(0.3)},
         {"employer_role", pickc(r, kRoles)}};
    if (p.enterprise) v["employer_unit"] = p.enterprise->id;
    Facts f;
    f.area = r.chance(0.7) ? "hotspot_issues" : "public_services";
    static const char* const kTitles[] = {"%s拖欠%d名农民工工资%s", "%s欠薪%d个月未解决", "%s农民工工资拖欠问题"};
    int t = r.below(3);
    if (t == 0) f.title = fmt(kTitles[0], project.c_str(), workers, yuan(owed).c_str());
    else if (t == 1) f.title = fmt(kTitles[1], project.c_str(), months);
    else f.title = fmt(kTitles[2], employer.c_str());
    f.facts.push_back(fmt("%s承建的%s自%s起拖欠%d名农民工工资共计%s，最长欠薪%d个月", employer.c_str(), project.c_str(),
                          cnMonth(due).c_str(), workers, yuan(owed).c_str(), months) +
                      (paid ? "，目前仅清偿" + yuan(paid) + "。" : "，至今分文未付。"));
    f.extras = {"该项目未按规定设立农民工工资专用账户，劳务实名制管理流于形式，工资发放台账缺失。",
                "施工单位以工程款未结算为由层层推诿，部分农民工春节前多次聚集讨薪。",
                fmt("经调阅%s投诉台账，%s以来共收到相关投诉%d件，均未按期办结。", unitName(p.department, "人社部门").c_str(),
                    cnMonth(day.plusDays(-120)).c_str(), r.range(3, 12)),
                "项目建设单位未按合同约定足额拨付人工费用，总承包单位未履行代发工资责任。"};
    f.misconduct = {r.chance(0.5) ? "inaction" : "evading_policy"};
    if (r.chance(0.3)) f.misconduct.push_back("heavy_handed");
    f.loophole = "工资保证金和专用账户制度执行不到位，欠薪预警机制未覆盖在建项目。";
    f.recommendation = "建议人社部门建立在建项目欠薪动态监测台账，对欠薪企业依法纳入失信联合惩戒。";
    return f;
}

Facts landFacts(Rng& r, const Parties& p, const Date& day, Json& v) {
    static const char* const kUses[] = {"工业园区扩区", "高速公路连接线", "光伏发电项目", "城区道路拓宽", "物流园建设"};
    static const char* const kLand[] = {"farmland", "forest", "homestead", "collective_construction"};
    static const char* const kLandZh[] = {"耕地", "林地", "宅基地", "集体建设用地"};
    std::string village = pickc(r, kVillages);
    int li = r.weighted({6, 1, 2, 1});
    static const double kMaxMu[] = {600, 800, 30, 120};  // homesteads are small, forest tracts large
    double area = std::round(r.real(2, kMaxMu[li]) * 10) / 10;
    int households = r.range(6, 180);
    int64_t due = static_cast<int64_t>(area * r.range(28000, 52000));
    int64_t paid = due * r.range(20, 90) / 100;
    std::string use = pickc(r, kUses);
    std::string parcel = p.place->name + village + "村" + n2s(r.range(1, 9)) + "社地块";
    int docYear = day.year - r.range(0, 2);
    int docNo = r.range(3, 90);
    v = {{"parcel", parcel},
         {"parcel_number", fmt("ZY-%d-%03d", day.year, r.range(1, 300))},
         {"village_region", p.place->code},
         {"land_type", kLand[li]},
         {"area_mu", area},
         {"households_affected", households},
         {"approval_document", fmt("甘政土批〔%d〕%d号", docYear, docNo)},
         {"approved", r.chance(0.6)},
         {"compensation_due", due * 100},
         {"compensation_paid", paid * 100},
         {"resettlement_done", r.chance(0.3)}};
    if (p.townshipGov) v["acquiring_unit"] = p.townshipGov->id;
    Facts f;
    f.area = r.chance(0.6) ? "lawful_admin" : "hotspot_issues";
    std::string areaStr = fmt("%.1f", area);
    int t = r.below(3);
    if (t == 0) f.title = p.place->name + village + "村征地补偿款未足额兑付";
    else if (t == 1) f.title = p.place->countyName + use + "项目征收土地补偿不到位问题";
    else f.title = p.place->name + "违规征收" + kLandZh[li] + areaStr + "亩";
    f.facts.push_back(fmt("为实施%s，%s在%s村征收%s%s亩，涉及农户%d户，应付征地补偿款%s，实付%s，差额%s至今未兑付。",
                          use.c_str(), unitName(p.townshipGov, "乡镇政府").c_str(), village.c_str(), kLandZh[li],
                          areaStr.c_str(), households, yuan(due).c_str(), yuan(paid).c_str(), yuan(due - paid).c_str()));
    f.extras = {"征地前未按规定履行公告、听证程序，部分群众对补偿标准不知情，签字材料存在代签现象。",
                "村组将部分征地补偿款挪作村级办公经费，未经村民会议讨论。",
                "被征地农民社会保障资金未足额落实，失地群众生计问题突出。",
                fmt("群众自%s以来多次到乡、县两级反映，有关部门答复“正在协调”后再无下文。", cnMonth(day.plusDays(-200)).c_str())};
    f.misconduct = {r.chance(0.5) ? "unlawful_action" : "opaque_dealing"};
    if (r.chance(0.35)) f.misconduct.push_back("abuse_of_power");
    f.loophole = "征地补偿款拨付缺少专户监管和公示环节，村级资金使用监督缺位。";
    f.recommendation = "建议自然资源部门会同乡镇对补偿款拨付情况逐户核对并张榜公示，欠付部分限期兑付。";
    return f;
}

Facts demolitionFacts(Rng& r, const Parties& p, const Date& day, Json& v) {
    static const char* const kProjects[] = {"棚户区改造项目", "城中村改造项目", "老城区街巷改造项目", "滨河片区拆迁项目"};
    static const char* const kModes[] = {"monetary", "property_swap", "mixed"};
    std::string project = p.place->name + pickc(r, kProjects);
    int households = r.range(12, 320);
    double floor = std::round(households * r.real(60, 140));
    int64_t due = static_cast<int64_t>(floor) * r.range(1800, 3600);
    int64_t paid = due * r.range(30, 95) / 100;
    bool forced = r.chance(0.4);
    int forcedN = r.range(2, 9);
    int permitYear = day.year - r.range(0, 1);
    int permitNo = r.range(1, 40);
    v = {{"project", project},
         {"permit_number", fmt("%s拆许字〔%d〕第%d号", p.place->countyShort.c_str(), permitYear, permitNo)},
         {"project_region", p.place->code},
         {"households", households},
         {"floor_area_sqm", floor},
         {"compensation_mode", kModes[r.below(3)]},
         {"compensation_due", due * 100},
         {"compensation_paid", paid * 100},
         {"forced_demolition", forced},
         {"lawful_ruling", forced ? r.chance(0.3) : true}};
    if (forced) v["forced_date"] = day.plusDays(-r.range(10, 90)).str();
    if (p.enterprise) v["demolisher_unit"] = p.enterprise->id;
    Facts f;
    f.area = r.chance(0.6) ? "hotspot_issues" : "lawful_admin";
    int t = r.below(3);
    if (t == 0) f.title = project + "拆迁补偿款拖欠问题";
    else if (t == 1 && forced) f.title = fmt("%s强制拆除%d户民房问题", p.place->name.c_str(), forcedN);
    else f.title = project + "拆迁安置不到位";
    f.facts.push_back(fmt("%s涉及拆迁居民%d户、房屋面积%.0f平方米，应付拆迁补偿款%s，已付%s。", project.c_str(), households,
                          floor, yuan(due).c_str(), yuan(paid).c_str()));
    if (forced)
        f.facts.push_back(fmt("拆迁实施单位在未取得裁决的情况下组织强制拆除%d户，现场方法简单、作风粗暴，引发群众集体上访。", forcedN));
    f.extras = {"安置房建设进度严重滞后，部分拆迁户过渡费停发已逾半年。",
                "拆迁评估报告未向被拆迁户送达，评估机构由实施单位指定。",
                fmt("%s对拆迁许可审查把关不严，对群众投诉未及时组织调查。", unitName(p.department, "住建部门").c_str())};
    f.misconduct = {forced ? "heavy_handed" : "evading_policy"};
    if (r.chance(0.3)) f.misconduct.push_back("unlawful_action");
    f.loophole = "拆迁补偿资金未纳入专户管理，强制拆除缺少事前法制审核。";
    f.recommendation = "建议住建部门建立拆迁补偿资金专户和台账，严禁未经裁决实施强制拆除。";
    return f;
}

Facts restructuringFacts(Rng& r, const Parties& p, const Date& day, Json& v) {
    static const char* const kKinds[] = {"restructuring", "merger", "bankruptcy", "closure"};
    static const char* const kKindsZh[] = {"改制", "兼并重组", "破产", "关闭"};
    int k = r.below(4);
    std::string ent = unitName(p.enterprise, "某国有企业");
    int workers = r.range(30, 900);
    int64_t wages = workers * static_cast<int64_t>(r.range(2000, 9000));
    int64_t si = workers * static_cast<int64_t>(r.range(3000, 12000));
    int64_t sev = workers * static_cast<int64_t>(r.range(5000, 30000));
    int64_t paid = (wages + si + sev) * r.range(0, 50) / 100;
    bool congress = r.chance(0.35);
    Date plan = day.plusDays(-r.range(120, 700));
    int landMu = r.range(20, 300);
    int64_t assetPrice = r.range64(300, 4000) * 10000;
    v = {{"enterprise", ent},
         {"restructuring_kind", kKinds[k]},
         {"plan_date", plan.str()},
         {"workers_congress_approved", congress},
         {"workers_affected", workers},
         {"wages_owed", wages * 100},
         {"social_insurance_owed", si * 100},
         {"severance_owed", sev * 100},
         {"amount_paid", paid * 100},
         {"assets_disposal", fmt("厂区土地%d亩及办公楼、设备以%s协议转让，未进入公共资源交易平台公开挂牌。", landMu,
                                 yuan(assetPrice).c_str())}};
    if (p.enterprise) v["enterprise_unit"] = p.enterprise->id;
    Facts f;
    f.area = r.chance(0.5) ? "gov_functions" : "hotspot_issues";
    f.title = r.chance(0.5) ? ent + kKindsZh[k] + "中拖欠职工安置费用" : ent + "改制方案未经职代会审议";
    f.facts.push_back(fmt("%s于%s启动%s，涉及职工%d人，拖欠职工工资%s、社会保险费%s、经济补偿金%s，已支付%s。", ent.c_str(),
                          cnMonth(plan).c_str(), kKindsZh[k], workers, yuan(wages).c_str(), yuan(si).c_str(),
                          yuan(sev).c_str(), yuan(paid).c_str()));
    f.extras = {congress ? "改制方案虽经职工代表大会通过，但职工安置费用测算明显偏低。"
                         : "改制方案未经职工代表大会审议通过，职工对安置方案普遍不知情。",
                "资产评估和处置过程不公开，评估价值明显低于市场价格，存在国有资产流失风险。",
                "部分下岗职工医疗保险中断，生活困难，多次到县政府集体上访。"};
    f.misconduct = {congress ? "evading_policy" : "opaque_dealing"};
    if (r.chance(0.3)) f.misconduct.push_back("abuse_of_power");
    f.loophole = "企业改制缺少职工安置费用预留和资产处置公开交易的刚性约束。";
    f.recommendation = "建议主管部门暂停资产处置，先行足额预留职工安置费用，资产一律进场公开交易。";
    return f;
}

Facts pollutionFacts(Rng& r, const Parties& p, const Date& day, Json& v) {
    struct P {
        const char* name;
        const char* kind;
        const char* unit;
        double limit;
    };
    static const P kPollutants[] = {{"化学需氧量（COD）", "wastewater", "mg/L", 100},
                                    {"氨氮", "wastewater", "mg/L", 15},
                                    {"二氧化硫", "exhaust_gas", "mg/m³", 200},
                                    {"颗粒物", "exhaust_gas", "mg/m³", 30},
                                    {"含油污泥", "hazardous_waste", "t", 0}};
    const P& pol = kPollutants[r.below(5)];
    std::string ent = unitName(p.enterprise, "某化工企业");
    std::string river = pickc(r, kRivers);
    std::string point = std::string(pol.kind == std::string("wastewater") ? "厂区东侧暗管排污口" : "1号锅炉烟囱");
    if (pol.limit == 0) point = "厂区北侧临时堆场";
    double multiple = std::round(r.real(1.3, 9.0) * 10) / 10;
    double value = pol.limit > 0 ? std::round(pol.limit * multiple * 10) / 10 : r.range(20, 400);
    Date mon = day.plusDays(-r.range(3, 40));
    std::string monitor = pol.limit > 0 ? fmt("%s %.1f %s（排放限值 %.0f %s）", pol.name, value, pol.unit, pol.limit, pol.unit)
                                        : fmt("%s 约 %.0f 吨，未按危险废物管理", pol.name, value);
    v = {{"enterprise", ent},
         {"pollution_kinds", Json::array({pol.kind})},
         {"pollutant", pol.name},
         {"discharge_point", point},
         {"discharge_region", p.place->code},
         {"monitoring_date", mon.str()},
         {"monitoring_values", monitor},
         {"exceeds_standard", true},
         {"discharge_permit", r.chance(0.5)}};
    if (pol.limit > 0) v["exceed_multiple"] = multiple;
    if (r.chance(0.4)) v["penalty"] = r.range64(2, 50) * 1000000;  // 2–50万元, in fen
    if (p.enterprise) v["enterprise_unit"] = p.enterprise->id;
    Facts f;
    f.area = r.chance(0.5) ? "lawful_admin" : "hotspot_issues";
    f.title = r.chance(0.5) ? ent + "违法排放" + pol.name : river + p.place->name + "段偷排污染物问题";
    f.facts.push_back(fmt("%s通过%s向%s偷排%s，%s监测显示%s", ent.c_str(), point.c_str(), river.c_str(), pol.name,
                          cnDate(mon).c_str(), monitor.c_str()) +
                      (pol.limit > 0 ? fmt("，超标%.1f倍。", multiple) : "。"));
    f.extras = {fmt("%s多次接到群众举报，仅作出责令改正决定，未依法立案处罚，排污问题反复出现。",
                    unitName(p.department, "生态环境部门").c_str()),
                "企业在线监测设备长期故障停运，数据造假嫌疑突出，周边农户反映农田灌溉用水受到污染。",
                "企业夜间偷排，下游村民饮用水源受到威胁，群众意见很大。"};
    f.misconduct = {"inaction"};
    if (r.chance(0.3)) f.misconduct.push_back("evading_policy");
    f.loophole = "在线监测设施运维无人核查，夜间和节假日执法检查存在空档。";
    f.recommendation = "建议生态环境部门对该企业依法立案查处，实施按日连续处罚，并将在线监测数据接入监察平台。";
    return f;
}

Facts foodFacts(Rng& r, const Parties& p, const Date& day, Json& v) {
    struct Prod {
        const char* name;
        const char* kind;
        const char* estKind;
        const char* establishment;
    };
    static const Prod kProducts[] = {{"学生营养餐", "food", "school_canteen", "中心学校食堂"},
                                     {"散装白酒", "food", "retail", "农贸市场"},
                                     {"板蓝根颗粒", "drug", "retail", "大药房"},
                                     {"冷鲜羊肉", "food", "wholesale", "冷链批发部"},
                                     {"自制酿皮", "food", "catering", "小吃店"},
                                     {"鲜牛奶", "food", "producer", "奶站"},
                                     {"一次性注射器", "medical_device", "medical", "卫生院"}};
    static const char* const kHazards[] = {"菌落总数超标", "检出非法添加物", "超过保质期仍在销售", "无证经营、来源不明",
                                           "标签标识不全、冒用生产许可证编号"};
    static const char* const kLevels[] = {"general", "major", "serious"};
    const Prod& pr = kProducts[r.below(7)];
    std::string est = p.place->name + pr.establishment;
    std::string hazard = pickc(r, kHazards);
    int people = r.range(0, 120);
    std::string batch = fmt("%04d%02d%02d-%02d", day.year, day.month, std::max(1, day.day - 3), r.range(1, 20));
    v = {{"product", pr.name},
         {"product_kind", pr.kind},
         {"batch", batch},
         {"establishment", est},
         {"establishment_kind", pr.estKind},
         {"licence_valid", r.chance(0.5)},
         {"hazard", pr.name + std::string("经抽检") + hazard + (people ? fmt("，已致%d人出现不适症状。", people) : "。")},
         {"hazard_level", kLevels[r.weighted({5, 3, 1})]},
         {"people_affected", people},
         {"sampled", true}};
    if (p.enterprise) v["establishment_unit"] = p.enterprise->id;
    Facts f;
    f.area = r.chance(0.6) ? "public_services" : "hotspot_issues";
    f.title = r.chance(0.5) ? est + pr.name + hazard : p.place->name + pr.name + "质量安全问题";
    f.facts.push_back(fmt("%s销售（使用）的%s（批号%s）经抽检%s", est.c_str(), pr.name, batch.c_str(), hazard.c_str()) +
                      (people ? fmt("，涉及%d名群众。", people) : "。"));
    f.extras = {fmt("%s日常巡查记录流于形式，近一年未对该单位开展监督抽检。", unitName(p.department, "市场监管部门").c_str()),
                "进货查验和索证索票制度未落实，问题产品来源无法追溯。",
                "群众通过12315热线多次投诉，办理时限均超过规定期限。"};
    f.misconduct = {"inaction"};
    if (r.chance(0.25)) f.misconduct.push_back("opaque_dealing");
    f.loophole = "基层食品药品监管网格员职责不清，抽检计划未覆盖学校食堂和农村市场。";
    f.recommendation = "建议市场监管部门对同类经营主体开展专项抽检，问题产品立即下架封存并依法处置。";
    return f;
}

std::string misconductSentence(Rng& r, const std::string& code) {
    struct Two {
        const char* code;
        const char* a;
        const char* b;
    };
    static const Two kSentences[] = {
        {"evading_policy", "有关单位对上级政策选择性执行，以“情况特殊”为由变通处理，上有政策、下有对策。",
         "上级明确的补偿和保障标准在执行中被层层打折，基层另搞一套“土政策”。"},
        {"unlawful_action", "有关部门超越法定权限作出决定，程序明显违法，属行政乱作为。",
         "相关决定未经合法性审查即付诸实施，执法主体和程序均不合法。"},
        {"inaction", "职能部门接到反映后长期未依法处理，推诿扯皮，属行政不作为。",
         "主管部门对问题早已掌握，却以“正在研究”为由一拖再拖，监管职责形同虚设。"},
        {"abuse_of_power", "经初步核查，相关工作人员涉嫌利用职务便利为亲属关联企业谋取利益。",
         "有关负责人在项目发包和资金拨付中优亲厚友，涉嫌以权谋私。"},
        {"opaque_dealing", "相关事项未经集体研究、未予公示，决策过程不透明，存在暗箱操作。",
         "分配方案和资金去向始终未向群众公开，群众多次要求查阅均被拒绝。"},
        {"heavy_handed", "现场工作人员态度生硬、方法简单，与群众发生推搡，造成不良影响。",
         "工作人员对上门反映问题的群众冷嘲热讽，言行粗暴，激化了矛盾。"},
    };
    bool second = r.chance(0.5);
    for (const auto& t : kSentences)
        if (code == t.code) return second ? t.b : t.a;
    return kSentences[5].a;
}

}  // namespace

FindingText composeFinding(Rng& r, const std::string& category, const Parties& p, const Date& day, int64_t index) {
    FindingText out;
    Json values;
    Facts f;
    if (category == "wage_arrears") f = wageFacts(r, p, day, values);
    else if (category == "land_acquisition") f = landFacts(r, p, day, values);
    else if (category == "demolition") f = demolitionFacts(r, p, day, values);
    else if (category == "restructuring") f = restructuringFacts(r, p, day, values);
    else if (category == "pollution") f = pollutionFacts(r, p, day, values);
    else f = foodFacts(r, p, day, values);

    static const char* const kOpenings[] = {"%s，检查组在%s开展%s时发现，", "根据群众来信反映，检查组于%s赴%s实地核查（%s），",
                                            "%s，检查组会同县纪委监委对%s进行暗访，在%s中发现，",
                                            "%s，检查组通过调阅台账、入户走访和召开座谈会等方式，在%s开展%s，查明："};
    int o = r.below(4);
    std::string opening = fmt(kOpenings[o], cnDate(day).c_str(), town(p).c_str(), campaignShortName().c_str());
    int documents = r.range(3, 30);
    int interviewed = r.range(2, 15);
    std::string closing = fmt("检查组已调取合同、台账和会议记录%d份，询问相关人员%d人，", documents, interviewed);
    closing += r.chance(0.5) ? "建议依法依规督促整改。" : "群众对此反映强烈，问题尚未得到解决。";
    std::string people;
    if (!p.persons.empty())
        people = "时任" + personPost(p, 0) + personName(p, 0) + "负有直接责任" +
                 (p.persons.size() > 1 ? "，" + personPost(p, 1) + personName(p, 1) + "负有领导责任。" : "。");
    // Every 20th finding names a person with a rare character; every 25th quotes an old document
    // in traditional forms (監察), so small data sets still carry them.
    std::string rare = index % 20 == 7 ? "经核实，经办人王堃、复核人李喆对此知情，村民代表刘䶮曾两次书面反映。" : "";
    std::string trad = index % 25 == 11 ? fmt("该问题曾于%d年被列入《張掖市監察局關於行政效能投訴的督辦通知》，但整改不到位。",
                                              day.year - 1)
                                        : "";

    std::string text = opening;
    for (const auto& s : f.facts) text += s;
    for (const auto& m : f.misconduct) text += misconductSentence(r, m);
    text += rare + trad + people;
    // Optional detail in random order until the narrative has 200–400 characters.
    std::vector<std::string> extras = f.extras;
    for (size_t i = extras.size(); i > 1; --i) std::swap(extras[i - 1], extras[static_cast<size_t>(r.below(static_cast<int>(i)))]);
    int64_t want = r.range(230, 360);
    for (const auto& e : extras) {
        if (static_cast<int64_t>(utf8Chars(text) + utf8Chars(closing)) >= want) break;
        if (utf8Chars(text) + utf8Chars(e) + utf8Chars(closing) > 400) continue;
        text += e;
    }
    text += closing;

    out.area = f.area;
    out.title = f.title;
    out.narrative = text;
    out.misconduct = f.misconduct;
    out.fieldValues = values;
    out.loophole = f.loophole;
    out.recommendation = f.recommendation;
    out.severity = std::vector<std::string>{"low", "medium", "high", "critical"}[static_cast<size_t>(r.weighted({2, 5, 3, 1}))];
    out.address = town(p) + pickc(r, kVillages) + "村";
    out.address += r.chance(0.5) ? n2s(r.range(1, 12)) + "社" : "村委会";
    countyCentre(p.place->countyCode, out.lat, out.lon);
    out.lat = std::round((out.lat + r.real(-0.12, 0.12)) * 1e6) / 1e6;
    out.lon = std::round((out.lon + r.real(-0.15, 0.15)) * 1e6) / 1e6;
    for (size_t i = 0; i < p.persons.size(); ++i)
        out.responsible.push_back({{"person_id", p.persons[i]->id}, {"name", p.persons[i]->name}, {"role", i == 0 ? "direct" : "related"}});
    if (!p.persons.empty())
        out.accountability = "建议对" + personName(p, 0) + "进行诫勉谈话" + (p.persons.size() > 1 ? "，对" + personName(p, 1) + "予以通报批评。" : "。");
    return out;
}

// [SECTION] Complaints

ComplaintText composeComplaint(Rng& r, const std::string& category, const Parties& p, const Date& received) {
    ComplaintText c;
    std::string village = pickc(r, kVillages);
    std::string dept = unitName(p.department, "有关部门");
    std::string subj = unitName(p.subject, "有关单位");
    int n = r.range(2, 8);
    if (category == "wage_arrears") {
        int64_t owed = r.range(8, 90) * 1000;
        int workers = r.range(5, 40);
        const char* site = r.chance(0.5) ? "安置小区" : "道路硬化";
        int months = r.range(2, 10);
        c.title = "反映" + unitName(p.enterprise, "施工单位") + "拖欠农民工工资";
        c.content = fmt("我们%d人在%s%s工地干活，包工头拖欠工资%s，已经%d个月了。多次到%s反映，答复让等结算，到现在欠薪还没有给，"
                        "眼看要过年了，请监察机关督促解决。",
                        workers, town(p).c_str(), site, yuan(owed).c_str(), months, dept.c_str());
        c.outcome = "已督促用工单位足额支付拖欠工资" + yuan(owed) + "，问题解决。";
    } else if (category == "land_acquisition") {
        c.title = "投诉" + p.place->name + village + "村征地补偿不到位";
        c.content = fmt("本人是%s%s村村民，%d年家里%d亩承包地被征收，补偿款至今只给了一半，村上说钱被乡里扣着。去了%d趟乡政府都没人管，"
                        "请求查处。",
                        town(p).c_str(), village.c_str(), received.year - 1, r.range(2, 15), n);
        c.outcome = "乡镇已将剩余补偿款足额兑付到户，并张榜公示。";
    } else if (category == "demolition") {
        c.title = "反映" + p.place->name + "拆迁补偿及过渡费问题";
        c.content = fmt("我家住在%s，房子去年被拆迁，说好的过渡费停发%d个月了，安置房也没有动工。找%s好几次，工作人员态度很差，请领导过问。",
                        town(p).c_str(), r.range(3, 12), dept.c_str());
        c.outcome = "已补发过渡费，安置房开工时间已书面告知拆迁户。";
    } else if (category == "restructuring") {
        c.title = "反映" + unitName(p.enterprise, "企业") + "改制中职工安置问题";
        c.content = fmt("我们是%s的老职工，企业改制时说好补缴社保和发放经济补偿金，到现在一分钱没见到。改制方案也没开职代会，厂里资产被低价卖了，"
                        "请求彻查。",
                        unitName(p.enterprise, "企业").c_str());
        c.outcome = "主管部门已责令企业制定补缴计划，首批社保费已补缴到位。";
    } else if (category == "pollution") {
        c.title = "举报" + unitName(p.enterprise, "企业") + "夜间偷排污水";
        c.content = fmt("%s附近的%s晚上偷偷往河里排黑水，味道刺鼻，庄稼都浇死了。给%s打过%d次电话，来人看一下就走了，请求依法查处。",
                        (p.place->name + village + "村").c_str(), unitName(p.enterprise, "企业").c_str(), dept.c_str(), n);
        c.outcome = "生态环境部门已立案查处，责令企业停产整治并处罚款。";
    } else if (category == "food_drug") {
        c.title = "反映" + p.place->name + "学校食堂饭菜质量问题";
        c.content = fmt("孩子在%s中心学校上学，最近几次吃了食堂的饭拉肚子，食堂卫生很差，用的肉来路不明。向%s反映后没有回音，请尽快检查。",
                        p.place->name.c_str(), dept.c_str());
        c.outcome = "市场监管部门已对食堂开展抽检并责令整改，更换供货商。";
    } else {
        // The service the department actually provides.
        std::string role = p.department ? p.department->role : "";
        static const char* const kHrss[] = {"社保关系转移", "劳动仲裁立案", "失业保险金申领"};
        static const char* const kLand[] = {"不动产登记", "宅基地审批", "林权证变更"};
        static const char* const kHousing[] = {"建设项目施工许可", "物业专项维修资金支取", "公租房资格审核"};
        static const char* const kMarket[] = {"营业执照变更", "食品经营许可", "个体户注销"};
        std::string svc = role == "hrss"   ? pickc(r, kHrss)
                          : role == "land" ? pickc(r, kLand)
                          : role == "housing" ? pickc(r, kHousing)
                                              : pickc(r, kMarket);
        c.title = "反映" + dept + svc + "办事拖拉";
        c.content = fmt("到%s办理%s，材料齐全，前后跑了%d趟，窗口一会儿说缺材料一会儿说负责人不在，超过承诺时限%d天还没办结，请督促。",
                        dept.c_str(), svc.c_str(), n, r.range(5, 30));
        c.outcome = "业务已办结，对窗口工作人员进行了批评教育。";
    }
    c.reply = fmt("经调查核实，您反映的问题基本属实。检查组已约谈%s负责人，责令其限期整改，整改情况将在%d个工作日内书面告知您。", subj.c_str(),
                  r.range(5, 15));
    c.handoverNote = "涉及" + p.place->countyName + "，移交属地检查组承办。";
    return c;
}

// [SECTION] Workflow comments and notes

std::string returnComment(Rng& r, const std::string& category) {
    static const char* const kMissing[] = {"相关合同和付款凭证", "当事人询问笔录", "现场照片和位置信息", "补偿款发放明细台账",
                                           "监测报告原件"};
    std::string extra = category == "wage_arrears" ? "，并附农民工花名册" : "";
    return std::string("案件要素不全，请补充") + pickc(r, kMissing) + extra + "后重新提交。";
}

std::string dismissComment(Rng& r, const Parties& p) {
    switch (r.below(3)) {
        case 0: return "经核实，反映问题已于检查前整改到位，不予采纳。";
        case 1: return "证据不足，无法认定存在违规行为，不予采纳。";
        default: return "不属于本次专项监察范围，已移交" + unitName(p.department, "有关部门") + "处理。";
    }
}

std::string rectificationAction(Rng& r, const std::string& category, const Parties& p, const Json& v) {
    std::string subj = unitName(p.subject, "被监察单位");
    if (category == "wage_arrears")
        return "责令" + subj + "限期足额支付拖欠的" + n2s(v["workers_affected"].get<int64_t>()) + "名农民工工资" +
               fenToYuan(v["amount_owed"]) + "，补缴工资保证金，并报送整改报告。";
    if (category == "land_acquisition")
        return "责令" + subj + "限期足额兑付征地补偿款" + fenToYuan(v["compensation_due"]) + "，补正公告、听证程序，并逐户张榜公示。";
    if (category == "demolition")
        return "责令" + subj + "补发拆迁补偿款和过渡费，停止一切未经裁决的强制拆除行为。";
    if (category == "restructuring") return "责令" + subj + "暂停资产处置，足额预留并发放职工安置费用，补缴社会保险费。";
    if (category == "pollution") return "责令" + subj + "立即停止违法排污，依法立案查处，" + n2s(r.range(1, 3)) + "个月内完成治污设施改造。";
    return "责令" + subj + "下架封存问题产品，全面排查进货渠道，落实索证索票制度。";
}

std::string progressNote(Rng& r, const std::string& category) {
    std::string done = category == "wage_arrears" ? "已支付拖欠工资" + n2s(r.range(60, 100)) + "%" : "主要整改措施已落实";
    return done + "，相关责任人已作出书面检查，整改报告及佐证材料已报送检查组。";
}

std::string rejectComment(Rng& r) {
    return r.chance(0.5) ? "整改报告与实际不符，仍有部分群众款项未兑付，退回继续整改。" : "佐证材料不全，请补充付款凭证和群众签字确认后再报。";
}

std::string verificationNote(Rng& r, const Parties& p) {
    const char* how = r.chance(0.5) ? "经复查" : "经回访";
    int households = r.range(3, 20);
    return fmt("%s，检查组赴%s实地核查，整改措施落实到位，走访群众%d户均表示认可。", how, town(p).c_str(), households);
}

std::string warningReason(Rng& r, const std::string& category, const std::string& unitName) {
    static const char* const kWhy[] = {"推诿扯皮、超过限定时间未办结", "对群众反映问题长期不作为", "整改不力、虚报整改结果",
                                       "工作作风粗暴，造成不良影响"};
    std::string cat = category.empty() ? "群众投诉" : "专项检查发现的";
    return unitName + "对" + cat + "问题" + pickc(r, kWhy) + "，依据行政效能告诫制度予以告诫。";
}

}  // namespace jc::demo
