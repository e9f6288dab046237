// The planner's brush input on the map: a press and drag of the mouse or a pen, or one finger, paints one stroke;
// a second finger cancels the stroke and hands the gesture to the map, which pans and zooms with two fingers.
// The brush's presses and one-finger touches are kept from MapLibre's handlers (captured on the map's container,
// above the canvas container they listen on), so painting never pans the map, whatever state the map's drag
// handlers are in (terra-draw, for one, switches them on after each drag it sees).

/** A point on the map's container, pixels from its top left corner. */
export interface BrushPoint {
  x: number;
  y: number;
}

export interface BrushInputHandlers {
  /** Whether the brush is the current tool (checked on every event). */
  active(): boolean;
  /** A stroke begins (a press, or the first finger). */
  start(): void;
  /** The brush went over these points since the last call (spaced at most `spacing()` apart, so a fast drag
   * leaves no gap); `timeStamp` is the pointer event's. */
  dab(points: BrushPoint[], timeStamp: number): void;
  /** The stroke ended: what it painted stays. */
  end(): void;
  /** The stroke was interrupted by a second finger: what it painted is taken back. */
  cancel(): void;
  /** Where the brush outline is drawn (null: nowhere). */
  hover(point: BrushPoint | null): void;
  /** Largest distance between two dabs, pixels (the brush radius). */
  spacing(): number;
}

/** Listens on `container` (the map's container); returns the function that stops listening. */
export function attachBrushInput(container: HTMLElement, handlers: BrushInputHandlers): () => void {
  /** The pointer painting the current stroke, and where it dabbed last. */
  let painter: number | null = null;
  let last: BrushPoint | null = null;
  const touches = new Set<number>();
  /** The current touch gesture belongs to the brush: MapLibre does not see it. */
  let swallowTouches = false;

  // The container's place on the page, read when a pointer enters or presses and when the container resizes:
  // reading it on every move would force a layout of the panel the last dab just changed.
  let rect: DOMRect | null = null;
  const resized = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => (rect = null));
  resized?.observe(container);
  const pointOf = (event: PointerEvent): BrushPoint => {
    rect ??= container.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const forgetPlace = () => {
    rect = null;
  };

  /** Points from the last dab to `to`, at most `spacing()` apart (the last one is `to`). */
  function path(to: BrushPoint): BrushPoint[] {
    if (!last) return [to];
    const step = Math.max(1, handlers.spacing());
    const n = Math.ceil(Math.hypot(to.x - last.x, to.y - last.y) / step);
    const out: BrushPoint[] = [];
    for (let k = 1; k <= n; k++)
      out.push({ x: last.x + ((to.x - last.x) * k) / n, y: last.y + ((to.y - last.y) * k) / n });
    return out.length ? out : [to];
  }

  function stop(cancelled: boolean): void {
    if (painter === null) return;
    painter = null;
    last = null;
    if (cancelled) handlers.cancel();
    else handlers.end();
  }

  function onPointerDown(event: PointerEvent): void {
    rect = null;
    if (!handlers.active()) return;
    if (event.pointerType === 'touch') {
      touches.add(event.pointerId);
      if (touches.size > 1) {
        stop(true);
        handlers.hover(null);
        return;
      }
    } else if (event.button !== 0) return;
    if (painter !== null) return;
    painter = event.pointerId;
    // The rest of the stroke comes here even when it leaves the map.
    if (event.pointerType !== 'touch') container.setPointerCapture?.(event.pointerId);
    const point = pointOf(event);
    last = point;
    handlers.hover(point);
    handlers.start();
    handlers.dab([point], event.timeStamp);
  }

  function onPointerMove(event: PointerEvent): void {
    if (!handlers.active()) return;
    const point = pointOf(event);
    if (event.pointerType !== 'touch' || event.pointerId === painter) handlers.hover(point);
    if (event.pointerId !== painter) return;
    const points = path(point);
    last = point;
    handlers.dab(points, event.timeStamp);
  }

  function onPointerUp(event: PointerEvent): void {
    if (event.pointerType === 'touch') {
      touches.delete(event.pointerId);
      if (event.pointerId === painter) handlers.hover(null);
    }
    if (event.pointerId === painter) stop(false);
  }

  // MapLibre's handlers listen on the canvas container inside `container`: stopped here, in the capture phase,
  // the brush's events never reach them.
  function onMouseDown(event: MouseEvent): void {
    if (handlers.active() && event.button === 0) event.stopPropagation();
  }

  function onTouch(event: TouchEvent): void {
    if (event.type === 'touchstart') {
      // One finger paints; from the second on, the gesture is the map's (it sees every finger from then on).
      if (handlers.active() && event.touches.length === 1) swallowTouches = true;
      else if (event.touches.length > 1) swallowTouches = false;
    }
    if (!swallowTouches) return;
    event.stopPropagation();
    if (event.type === 'touchmove' && event.cancelable) event.preventDefault();
    if ((event.type === 'touchend' || event.type === 'touchcancel') && event.touches.length === 0)
      swallowTouches = false;
  }

  function onPointerLeave(event: PointerEvent): void {
    if (event.target === container && event.pointerType !== 'touch' && painter === null) handlers.hover(null);
  }

  const capture = { capture: true };
  const listeners: [string, EventListener, AddEventListenerOptions][] = [
    ['pointerdown', onPointerDown as EventListener, capture],
    ['pointermove', onPointerMove as EventListener, capture],
    ['pointerup', onPointerUp as EventListener, capture],
    ['pointercancel', onPointerUp as EventListener, capture],
    ['pointerleave', onPointerLeave as EventListener, capture],
    ['pointerenter', forgetPlace, capture],
    ['mousedown', onMouseDown as EventListener, capture],
    ['touchstart', onTouch as EventListener, { capture: true, passive: true }],
    ['touchmove', onTouch as EventListener, { capture: true, passive: false }],
    ['touchend', onTouch as EventListener, capture],
    ['touchcancel', onTouch as EventListener, capture],
  ];
  for (const [type, listener, options] of listeners) container.addEventListener(type, listener, options);
  return () => {
    resized?.disconnect();
    for (const [type, listener, options] of listeners) container.removeEventListener(type, listener, options);
    stop(false);
  };
}
