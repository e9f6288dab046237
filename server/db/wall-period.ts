// The wall's period, shared by its figures, service counts and map: a leaf, so those repositories need not import
// one another.

/** Length of the period a change is measured over, and of the trend. */
export const WALL_PERIOD_DAYS = 30;
/** Days of the trend are Beijing calendar days. */
export const WALL_TIME_ZONE = 'Asia/Shanghai';
