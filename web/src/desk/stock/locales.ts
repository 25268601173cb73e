import i18next from 'i18next';

/**
 * Strings of the stock screens (desk `st.*`, RP-9 CL-4 AR-2), zh-CN first. Only these lazy screens
 * use them, so they join the dictionary when the first of them loads; the menu labels stay in
 * ../locales.ts.
 */
export const stZh = {
  cat: { spare_part: '备品备件', tool: '工具', cleaning_supply: '保洁用品', greening_material: '绿化物资' },
  kind: { receive: '入库', issue: '领用出库', return: '退库', adjust: '调整', stocktake: '盘点', tool_checkout: '工具借出', tool_return: '工具归还' },
  target: { work_item: '工单', place: '区域', person: '人员' },
  items: {
    sub: '库存由出入库台账累计得出，不能直接修改；更正请登记调整或盘点', value: '库存金额 {{value}}', lowN: '低于最低库存 {{n}} 项',
    allCats: '全部类别', onlyLow: '只看低库存', search: '搜索编码或名称', new: '新建物品', post: '出入库登记',
    code: '编码', name: '名称', nameEn: '英文名称', category: '类别', unit: '单位', unitEn: '英文单位', balance: '库存', min: '最低库存', valueCol: '金额',
    avgCost: '平均单价', listCost: '参考单价（元）', location: '存放位置', lead: '采购周期（天）', safety: '安全库存（天）', pack: '每包数量', allowNegative: '允许负库存',
    low: '低库存', ledger: '台账', edit: '编辑', created: '已新建 {{name}}', saved: '已保存', empty: '没有物品',
    editTitle: '编辑 {{name}}', newTitle: '新建库存物品', allowNegativeHint: '紧急维修先用后补单的备件可允许负库存；工具不可',
  },
  ledger: {
    title: '{{name}} 出入库台账', at: '时间', kind: '类型', qty: '数量', delta: '变动', balance: '结存', cost: '金额', detail: '说明', by: '经办人',
    supplier: '供应商：{{s}}', price: '单价 {{p}}', to: '{{kind}}：{{name}}', reason: '原因：{{r}}', borrower: '借用人：{{n}}，应还 {{d}}', counted: '盘点数 {{q}}',
  },
  move: {
    title: '出入库登记', item: '物品', kind: '类型', qty: '数量', countedQty: '实盘数量', supplier: '供应商', unitCost: '单价（元）', targetKind: '领用到', target: '领用对象',
    workItem: '工单（输入单号搜索）', place: '区域', person: '人员', reason: '原因', note: '备注', adjustHint: '正数为盘盈/找回，负数为报损/丢失',
    stocktakeHint: '填写实际清点的数量，系统按差额记账', balanceNow: '当前库存 {{q}} {{unit}}', saved: '已登记：{{kind}} {{qty}} {{unit}}，结存 {{balance}}',
    borrower: '借用人', dueBack: '应还日期',
  },
  tools: {
    sub: '借出未还的工具，按应还日期排序；逾期标红', onlyOverdue: '只看逾期', checkout: '借出工具', tool: '工具', person: '借用人', qty: '数量', out: '借出时间',
    due: '应还日期', overdue: '逾期 {{n}} 天', onTime: '未到期', note: '用途', ret: '归还', returned: '已归还', retConfirm: '确认 {{name}} 归还 {{tool}}？',
    empty: '没有借出未还的工具', checkedOut: '已借出', retQty: '归还数量',
  },
  reorder: {
    sub: '按近 N 周平均用量、采购周期和安全库存计算再订货点；低于再订货点的物品建议按整包补货', weeks: '统计周数', all: '显示全部物品',
    item: '物品', weekly: '周均用量', point: '再订货点', balance: '现有库存', suggest: '建议采购', packs: '{{n}} 包', cost: '预计金额', why: '计算过程', empty: '暂无需要补货的物品',
  },
  cost: {
    title: '维修成本月报', sub: '当月完成的维修与巡检发现工单：材料按出库时的移动加权平均成本，人工 = 工时 × 工时单价；区域耗材为当月领用到区域的物资',
    month: '月份', place: '范围（位置及下级）', allPlaces: '全项目', rate: '工时单价 {{rate}} / 小时', setRate: '修改工时单价', rateTitle: '工时单价（元/小时）', rateSaved: '工时单价已更新',
    byTrade: '按专业', byPlace: '按区域', lines: '工单明细', trade: '专业', area: '区域', items: '工单数', parts: '材料费', labourMin: '工时（分钟）', labour: '人工费',
    supplies: '区域耗材', total: '合计', number: '单号', titleCol: '标题', completed: '完成时间', empty: '该月没有完成的维修', totalRow: '合计',
    kpiTotal: '总成本', kpiParts: '材料费', kpiLabour: '人工费', kpiSupplies: '区域耗材',
  },
};

type Dict = typeof stZh;

export const stEn: Dict = {
  cat: { spare_part: 'Spare parts', tool: 'Tools', cleaning_supply: 'Cleaning supplies', greening_material: 'Greening materials' },
  kind: { receive: 'Receive', issue: 'Issue', return: 'Return', adjust: 'Adjust', stocktake: 'Stocktake', tool_checkout: 'Tool check-out', tool_return: 'Tool return' },
  target: { work_item: 'Work item', place: 'Area', person: 'Person' },
  items: {
    sub: 'Balances are the sum of the ledger and cannot be edited; correct them with an adjustment or a stocktake', value: 'Stock value {{value}}', lowN: '{{n}} below minimum',
    allCats: 'All categories', onlyLow: 'Low stock only', search: 'Search code or name', new: 'New item', post: 'Post a movement',
    code: 'Code', name: 'Name', nameEn: 'English name', category: 'Category', unit: 'Unit', unitEn: 'English unit', balance: 'On hand', min: 'Minimum', valueCol: 'Value',
    avgCost: 'Average cost', listCost: 'List cost (¥)', location: 'Location', lead: 'Lead time (days)', safety: 'Safety stock (days)', pack: 'Pack size', allowNegative: 'Allow negative stock',
    low: 'Low', ledger: 'Ledger', edit: 'Edit', created: '{{name}} created', saved: 'Saved', empty: 'No items',
    editTitle: 'Edit {{name}}', newTitle: 'New stock item', allowNegativeHint: 'Parts fitted in an emergency before the delivery is booked may go negative; tools never',
  },
  ledger: {
    title: 'Ledger of {{name}}', at: 'Time', kind: 'Kind', qty: 'Qty', delta: 'Change', balance: 'Balance', cost: 'Value', detail: 'Details', by: 'By',
    supplier: 'Supplier: {{s}}', price: 'Unit price {{p}}', to: '{{kind}}: {{name}}', reason: 'Reason: {{r}}', borrower: 'Borrower: {{n}}, due {{d}}', counted: 'Counted {{q}}',
  },
  move: {
    title: 'Post a movement', item: 'Item', kind: 'Kind', qty: 'Quantity', countedQty: 'Counted quantity', supplier: 'Supplier', unitCost: 'Unit price (¥)', targetKind: 'Issue to', target: 'Recipient',
    workItem: 'Work item (search by number)', place: 'Area', person: 'Person', reason: 'Reason', note: 'Note', adjustHint: 'Positive for found/surplus, negative for damaged/lost',
    stocktakeHint: 'Enter the quantity counted; the difference is booked', balanceNow: '{{q}} {{unit}} on hand', saved: 'Posted: {{kind}} {{qty}} {{unit}}, balance {{balance}}',
    borrower: 'Borrower', dueBack: 'Due back',
  },
  tools: {
    sub: 'Tools checked out and not returned, by due date; overdue in red', onlyOverdue: 'Overdue only', checkout: 'Check out a tool', tool: 'Tool', person: 'Borrower', qty: 'Qty', out: 'Checked out',
    due: 'Due back', overdue: '{{n}} days overdue', onTime: 'Not due', note: 'For', ret: 'Return', returned: 'Returned', retConfirm: '{{name}} returns {{tool}}?',
    empty: 'No tools out', checkedOut: 'Checked out', retQty: 'Quantity returned',
  },
  reorder: {
    sub: 'Reorder point from the average use over the last N weeks, the lead time and the safety stock; items at or below it are suggested in whole packs', weeks: 'Weeks', all: 'Show all items',
    item: 'Item', weekly: 'Weekly use', point: 'Reorder point', balance: 'On hand', suggest: 'Order', packs: '{{n}} packs', cost: 'Estimated cost', why: 'How it is worked out', empty: 'Nothing to reorder',
  },
  cost: {
    title: 'Monthly repair costs', sub: 'Repairs and findings completed in the month: parts at their moving-average cost when issued, labour = minutes × rate; area supplies are what was issued to areas in the month',
    month: 'Month', place: 'Scope (place and below)', allPlaces: 'Whole site', rate: 'Labour rate {{rate}} / hour', setRate: 'Change labour rate', rateTitle: 'Labour rate (¥ per hour)', rateSaved: 'Labour rate updated',
    byTrade: 'By trade', byPlace: 'By area', lines: 'Work items', trade: 'Trade', area: 'Area', items: 'Items', parts: 'Parts', labourMin: 'Labour (min)', labour: 'Labour',
    supplies: 'Area supplies', total: 'Total', number: 'Number', titleCol: 'Title', completed: 'Completed', empty: 'No repairs completed in this month', totalRow: 'Total',
    kpiTotal: 'Total cost', kpiParts: 'Parts', kpiLabour: 'Labour', kpiSupplies: 'Area supplies',
  },
};

i18next.addResourceBundle('zh-CN', 'translation', { st: stZh }, true, false);
i18next.addResourceBundle('en-US', 'translation', { st: stEn }, true, false);
