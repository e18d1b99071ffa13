// The Chinese labels of every English enum the API uses: one table for the
// whole dashboard (DESIGN.md: enums are English in the API, labels for
// display come from one table).
export const LABELS = {
  role: { admin: '系统管理员', security: '安全管理员', auditor: '审计员', intake: '受理窗口', mediator: '调解员', reconsideration: '复议机构',
    agency_staff: '机关法制人员', court_liaison: '府院联络员', leader: '领导' },
  track: { people: '人民调解', administrative: '行政调解', judicial: '司法调解', adjudication: '行政裁决',
    reconsideration: '行政复议', litigation: '诉讼' },
  source: { walk_in: '来访', police: '警调', petition: '访调', court: '诉调', hotline: '热线', grid: '网格', online: '网上' },
  category: { family: '婚姻家庭', neighbour: '邻里', debt: '债务', contract: '合同', labour: '劳动争议', consumer: '消费',
    property_management: '物业', traffic_accident: '交通事故', medical: '医疗', land_ownership: '土地林地权属',
    land_requisition: '征地拆迁', environment: '环境', other: '其他' },
  flag: { mass: '群体性', escalation_risk: '民转刑风险', vulnerable: '弱势群体', repeat: '重复' },
  partyRole: { applicant: '申请人', respondent: '被申请人', third_party: '第三人' },
  partyKind: { person: '个人', organisation: '单位' },
  disputeStatus: { routed: '已分流', waiting_assignment: '待分派调解员', guided: '已引导', closed: '已办结' },
  priority: { high: '高（预警）', normal: '一般' },
  tier: { general: '一般', difficult: '疑难', major: '重大' },
  confirmResult: { confirmed: '确认有效', rejected: '不予确认' },
  mediationState: { waiting: '待分派', assigned: '已分派', accepted: '已受理', in_mediation: '调解中', agreement: '达成协议',
    failed: '调解不成', confirmation: '司法确认', followup: '回访', closed: '已结案', transferred: '已移交' },
  reconState: { received: '已收到', materials_requested: '补正中', accepted: '已受理', rejected: '不予受理',
    suspended: '中止', decided: '已决定' },
  reconResult: { varied: '变更', annulled: '撤销', confirmed_unlawful: '确认违法', ordered_performance: '责令履行',
    confirmed_void: '确认无效', upheld: '维持', dismissed: '驳回', mediated: '调解', settled: '和解', terminated: '终止' },
  litResult: { dismissed_claims: '驳回诉讼请求', dismissed_suit: '驳回起诉', annulled: '撤销', partially_annulled: '部分撤销',
    varied: '变更', confirmed_unlawful: '确认违法', confirmed_void: '确认无效', ordered_performance: '责令履行',
    compensation: '行政赔偿', withdrawn: '撤诉', withdrawn_after_change: '改变行为后撤诉', mediated: '调解' },
  position: { principal: '正职', deputy: '副职', in_charge: '分管负责人', staff: '工作人员' },
  figure: { filed: '收案', concluded: '结案', lost: '败诉', heard: '开庭', head_appeared: '负责人出庭',
    key_heard: '重点案件开庭', key_head_appeared: '重点案件负责人出庭' },
  ledgerState: { found: '发现问题', rectifying: '反馈整改', reviewing: '跟踪复核', closed: '销号' },
  reconKind: { missing_on_platform: '平台未登记', missing_in_court: '法院无此案', defendant: '被告不一致',
    filed_on: '立案日期不一致', result: '结案方式不一致', concluded_on: '结案日期不一致', hearing: '开庭未登记' },
  procedure: { ordinary: '普通程序', simplified: '简易程序' },
  deliveryState: { pending: '待推送', delivered: '已送达', dead: '已停止重试' },
  calendarSource: { shipped: '随版本内置', database: '运行时导入' },
  clockState: { running: '进行中', met: '按期完成', overdue: '已超期', paused: '中止', late: '超期办结', cancelled: '已取消',
    open: '期间内', used: '已行使', lapsed: '已届满' },
  clockKind: { duty: '办理期限', window: '当事人权利期间' },
  job: { overdue_scan: '超期扫描', due_soon: '到期提醒', hearing_reminders: '开庭提醒', monthly_snapshot: '月度快照',
    calendar_check: '节假日表检查', clock_refresh: '期限重算', audit_retention: '审计日志归档', audit_anchor: '审计链锚定',
    idempotency_expiry: '幂等键清理', runs_expiry: '运行记录清理', notify_delivery: '通知推送' },
  outcome: { running: '运行中', ok: '成功', failed: '失败', skipped: '跳过' },
  notification: { 'mediation.overdue': '调解超期', 'mediation.escalated': '超期督办', 'mediation.due_soon': '即将到期',
    'reconsideration.deemed_accepted': '视为受理', 'reconsideration.overdue': '复议超期', 'reconsideration.due_soon': '复议即将到期',
    'litigation.hearing_alert': '出庭预警', 'calendar.missing': '节假日表缺失' },
  reason: { loss_rate: '败诉率达到约谈标准', appearance_rate: '负责人出庭率低于要求' },
  accountState: { active: '正常', locked: '已锁定', disabled: '已停用', must_change_password: '待修改密码' },
  orgKind: { committee: '人民调解委员会', agency: '行政机关', court: '法院', township: '乡镇街道', office: '办公室' },
};

// label returns the Chinese label of value in table, or the value itself.
export function label(table, value) {
  if (value === null || value === undefined || value === '') return '';
  const t = LABELS[table] || {};
  return t[value] || value;
}
