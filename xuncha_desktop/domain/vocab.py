"""Fixed value lists of the inspection domain (see shared/domain/README.md §1–§3)."""

from __future__ import annotations

from xuncha_desktop.domain.states import DraftState, LeadState

ROUND_KINDS = ("常规", "专项", "机动", "提级", "交叉", "回头看")
MEMBER_ROLES = ("组长", "副组长", "组员", "联络员")
STAFFING_KINDS = ("专职", "抽调")
MEMBER_DUTIES = ("谈话", "资料", "信访", "综合")
USER_ROLES = ("组长", "副组长", "组员", "联络员", "巡察办管理员")
OFFICE_ADMIN = "巡察办管理员"
UNIT_KINDS = ("县直部门", "乡镇(街道)", "村(社区)", "国有企业", "学校", "医院", "其他")
GENDERS = ("男", "女")
POLITICAL_STATUSES = ("中共党员", "中共预备党员", "共青团员", "民主党派", "无党派人士", "群众")
CADRE_RANKS = ("县管干部", "科级干部", "一般干部", "村(社区)干部", "企业管理人员", "其他")
MARKINGS = ("内部", "工作秘密", "秘密★1年", "秘密★5年", "机密★10年")

# 个别谈话记录
INTERVIEW_TYPES = ("必谈", "选谈", "约谈", "主动要求谈话", "回访")

# 问题底稿
ISSUE_SOURCES = ("个别谈话", "调阅资料", "信访举报", "走访下沉", "民主测评问卷", "专项检查", "上级交办")
RESPONSIBILITY_TYPES = ("主体责任", "第一责任人责任", "主要领导责任", "直接责任", "监督责任")
DRAFT_STATES = DraftState.ALL
DISCIPLINES = ("政治纪律", "组织纪律", "廉洁纪律", "群众纪律", "工作纪律", "生活纪律")
SPECIAL_TAGS = ("选人用人", "意识形态", "立行立改", "常规", "专项巡察", "机动巡察", "回头看")
KEY_ATTENTION_REASONS = (
    "未贯彻落实习近平总书记重要指示批示精神和党中央重大决策部署及上级工作要求",
    "“五人小组”会议、巡察工作领导小组会议上点出的具体人、具体事",
    "被上级通报批评或主要媒体曝光而未整改或整改不彻底",
    "重大人身财产损失、严重违纪违法案件未深挖彻查、以案促改成效不明显",
    "其他情形",
)

# 问题线索
LEAD_SOURCES = ("个别谈话", "来信", "来电", "来访", "码上巡察", "调阅资料", "走访", "上级交办")
LEAD_STATES = LeadState.ALL
LEAD_DISPOSALS = ("移交纪检监察机关", "移交组织部门", "转有关部门", "了结", "暂存")
TRANSFER_DISPOSALS = ("移交纪检监察机关", "移交组织部门", "转有关部门")
LEAD_OUTCOMES = ("谈话函询", "初步核实", "暂存待查", "予以了结")
TRANSFER_METHODS = ("密封专人移送", "机要交通", "当面移交")
FEEDBACK_DEADLINE_DAYS = 92  # "3 个月内反馈" (巡察工作条例); counted as 92 days to stay on the safe side

# 干部评价
PORTRAIT_DIMENSIONS = ("政治素质", "履职尽责", "民主集中制执行", "选人用人", "廉洁自律", "作风", "群众口碑")
PORTRAIT_GRADES = ("好", "较好", "一般", "差")
POLL_SCALES: dict[str, tuple[str, ...]] = {
    "班子测评": ("优秀", "良好", "一般", "较差"),
    "个人测评": ("优秀", "称职", "基本称职", "不称职"),
    "选人用人评议": ("满意", "基本满意", "不满意", "不了解"),
}
# The options counted as favourable when a rate (优秀率 / 满意率) is computed.
POLL_FAVOURABLE: dict[str, tuple[str, ...]] = {
    "班子测评": ("优秀", "良好"),
    "个人测评": ("优秀", "称职"),
    "选人用人评议": ("满意", "基本满意"),
}
APPRAISAL_ASPECTS = ("政治素质", "业务能力", "工作作风", "纪律执行", "廉洁自律")
APPRAISAL_GRADES = ("优秀", "称职", "基本称职", "不称职")
# 抽调干部考核: 组长 推荐等次 → 巡察办 考核意见 → 领导小组 审定 (recorded at the office).
APPRAISAL_STATES = ("待推荐", "已推荐", "已提出考核意见", "已审定")
ISSUE_SEVERITIES = ("一般", "较重", "重大")
EXCELLENT_SHARE_CAP = 0.2  # 优秀抽调干部不超过 20%
