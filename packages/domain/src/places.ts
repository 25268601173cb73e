/**
 * Kinds of place in the one place tree (DESIGN §2.1), with their zh-CN/en names.
 * 'building' and 'floor' are structure; the rest are spaces where things happen.
 */
export const PLACE_KINDS = {
  building: { zh: '楼栋', en: 'Building' },
  floor: { zh: '楼层', en: 'Floor' },
  office_unit: { zh: '办公单元', en: 'Office unit' },
  public_area: { zh: '公共区域', en: 'Public area' },
  washroom: { zh: '卫生间', en: 'Washroom' },
  lift_lobby: { zh: '电梯厅', en: 'Lift lobby' },
  stairwell: { zh: '楼梯间', en: 'Stairwell' },
  plant_room: { zh: '设备机房', en: 'Plant room' },
  electrical_room: { zh: '配电房', en: 'Electrical room' },
  water_pump_room: { zh: '水泵房', en: 'Water pump room' },
  roof: { zh: '屋顶', en: 'Roof' },
  carpark_zone: { zh: '停车区', en: 'Car-park zone' },
  parking_space: { zh: '车位', en: 'Parking space' },
  door: { zh: '门/出入口', en: 'Door / gate' },
  landscape_area: { zh: '绿化区域', en: 'Landscape area' },
  desk: { zh: '服务台/办公室', en: 'Desk / office' },
} as const;

export type PlaceKind = keyof typeof PLACE_KINDS;
export const PLACE_KIND_LIST = Object.keys(PLACE_KINDS) as [PlaceKind, ...PlaceKind[]];

/** Codes are upper-case letters, digits and dashes, e.g. JW-T1-F12-1203. */
export const PLACE_CODE_PATTERN = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;

/** The URL a place's QR label encodes; scanning it opens the phone page for that place. */
export const qrPath = (token: string) => `/q/${token}`;

/** Trades of staff and contractors (issue 2 §6), with their names. */
export const TRADES = {
  electrical: { zh: '电工', en: 'Electrical' },
  plumbing: { zh: '给排水', en: 'Plumbing' },
  hvac: { zh: '暖通空调', en: 'HVAC' },
  elevator: { zh: '电梯', en: 'Elevator' },
  fire: { zh: '消防', en: 'Fire' },
  general: { zh: '综合维修', en: 'General' },
  security: { zh: '安保', en: 'Security' },
  cleaning: { zh: '保洁', en: 'Cleaning' },
  greening: { zh: '绿化', en: 'Greening' },
  customer_service: { zh: '客服', en: 'Customer service' },
} as const;
export type Trade = keyof typeof TRADES;
export const TRADE_LIST = Object.keys(TRADES) as [Trade, ...Trade[]];
