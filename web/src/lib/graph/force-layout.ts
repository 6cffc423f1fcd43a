/**
 * A multilevel force-directed layout for large scenes, as a pure function on typed arrays (no DOM, no Cytoscape),
 * so that it runs in a Web Worker and in Node tests alike.
 *
 * The graph is coarsened level by level (leaves fold into their neighbour, then a matching of light neighbours),
 * the coarsest graph is laid out from scratch, and each finer level starts from its parent's position and is
 * refined by a few Fruchterman–Reingold iterations whose repulsion is approximated with a Barnes–Hut quadtree.
 * The finest level, where the cost is, needs only tens of iterations instead of hundreds: a 10k-node scene is
 * placed in about a second.
 * Over 400 lines as one job: one algorithm whose stages (coarsening, quadtree, refinement) share its arrays.
 */

export interface ForceLayoutInput {
  /** Number of nodes; they are referred to by index 0 … count-1. */
  count: number;
  /** Edge ends as node indexes: [source0, target0, source1, target1, …]. Self-loops are ignored. */
  edges: ArrayLike<number>;
  /** Nodes that must stay where they are (pinned), by index. */
  fixed?: ReadonlyMap<number, { x: number; y: number }>;
  /** The length an edge tends to, in model pixels. */
  edgeLength?: number;
  /** Iterations at the finest level (the expensive one). */
  iterations?: number;
  seed?: number;
}

interface Level {
  n: number;
  /** CSR adjacency: neighbours of v are targets[offsets[v] … offsets[v+1]), with weights alongside. */
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
  /** How many finest-level nodes each node stands for. */
  mass: Float64Array;
}

/** mulberry32: small and seeded, so that the same scene is laid out the same way. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Undirected CSR from an edge list, parallel edges merged into one weighted edge. */
function buildLevel(n: number, sources: ArrayLike<number>, targets: ArrayLike<number>, weights: ArrayLike<number>, mass: Float64Array): Level {
  const merged = new Map<number, number>();
  for (let e = 0; e < sources.length; e++) {
    const a = sources[e]!;
    const b = targets[e]!;
    if (a === b || a < 0 || b < 0 || a >= n || b >= n) continue;
    const key = a < b ? a * n + b : b * n + a;
    merged.set(key, (merged.get(key) ?? 0) + weights[e]!);
  }
  const degree = new Int32Array(n + 1);
  for (const key of merged.keys()) {
    degree[Math.floor(key / n)]! += 1;
    degree[key % n]! += 1;
  }
  const offsets = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) offsets[v + 1] = offsets[v]! + degree[v]!;
  const cursor = offsets.slice(0, n);
  const adjacent = new Int32Array(offsets[n]!);
  const adjacentWeights = new Float64Array(offsets[n]!);
  for (const [key, weight] of merged) {
    const a = Math.floor(key / n);
    const b = key % n;
    adjacent[cursor[a]!] = b;
    adjacentWeights[cursor[a]!++] = weight;
    adjacent[cursor[b]!] = a;
    adjacentWeights[cursor[b]!++] = weight;
  }
  return { n, offsets, targets: adjacent, weights: adjacentWeights, mass };
}

function shuffled(n: number, rand: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** One coarser level and the map from this level's nodes to it; undefined when coarsening no longer pays. */
function coarsen(level: Level, rand: () => number): { coarse: Level; map: Int32Array } | undefined {
  const { n, offsets, targets, mass } = level;
  const cluster = new Int32Array(n).fill(-1);
  let clusters = 0;
  const order = shuffled(n, rand);
  // Leaves fold into their only neighbour (hubs with many leaves shrink at once).
  for (const v of order) {
    if (cluster[v] !== -1 || offsets[v + 1]! - offsets[v]! !== 1) continue;
    const u = targets[offsets[v]!]!;
    if (cluster[u] === -1) cluster[u] = clusters++;
    cluster[v] = cluster[u]!;
  }
  // The rest: each node with its lightest unmatched neighbour; a node whose neighbours are all taken joins the
  // lightest of their clusters.
  const clusterMass: number[] = [];
  for (let v = 0; v < n; v++) if (cluster[v] !== -1) clusterMass[cluster[v]!] = (clusterMass[cluster[v]!] ?? 0) + mass[v]!;
  for (const v of order) {
    if (cluster[v] !== -1) continue;
    let free = -1;
    let taken = -1;
    for (let i = offsets[v]!; i < offsets[v + 1]!; i++) {
      const u = targets[i]!;
      if (cluster[u] === -1) {
        if (free === -1 || mass[u]! < mass[free]!) free = u;
      } else if (taken === -1 || clusterMass[cluster[u]!]! < clusterMass[cluster[taken]!]!) taken = u;
    }
    if (free !== -1) {
      cluster[v] = cluster[free] = clusters++;
      clusterMass[cluster[v]!] = mass[v]! + mass[free]!;
    } else if (taken !== -1) {
      cluster[v] = cluster[taken]!;
      clusterMass[cluster[v]!]! += mass[v]!;
    } else {
      cluster[v] = clusters++;
      clusterMass[cluster[v]!] = mass[v]!;
    }
  }
  if (clusters > 0.8 * n) return undefined;
  const coarseMass = new Float64Array(clusters);
  for (let v = 0; v < n; v++) coarseMass[cluster[v]!]! += mass[v]!;
  const sources: number[] = [];
  const ends: number[] = [];
  const weights: number[] = [];
  for (let v = 0; v < n; v++) {
    for (let i = offsets[v]!; i < offsets[v + 1]!; i++) {
      const u = targets[i]!;
      if (u <= v) continue;
      const a = cluster[v]!;
      const b = cluster[u]!;
      if (a === b) continue;
      sources.push(a);
      ends.push(b);
      weights.push(level.weights[i]!);
    }
  }
  return { coarse: buildLevel(clusters, sources, ends, weights, coarseMass), map: cluster };
}

/** A Barnes–Hut quadtree in flat arrays, rebuilt every iteration. */
class QuadTree {
  private capacity = 0;
  private child = new Int32Array(0);
  private body = new Int32Array(0);
  private cellMass = new Float64Array(0);
  private sumX = new Float64Array(0);
  private sumY = new Float64Array(0);
  private originX = new Float64Array(0);
  private originY = new Float64Array(0);
  private size = new Float64Array(0);
  private used = 0;
  private stack = new Int32Array(0);

  private ensure(cells: number): void {
    if (cells <= this.capacity) return;
    const capacity = Math.max(cells, this.capacity * 2);
    const ints = (old: Int32Array, per: number) => {
      const next = new Int32Array(capacity * per).fill(-1);
      next.set(old);
      return next;
    };
    const floats = (old: Float64Array) => {
      const next = new Float64Array(capacity);
      next.set(old);
      return next;
    };
    this.child = ints(this.child, 4);
    this.body = ints(this.body, 1);
    this.cellMass = floats(this.cellMass);
    this.sumX = floats(this.sumX);
    this.sumY = floats(this.sumY);
    this.originX = floats(this.originX);
    this.originY = floats(this.originY);
    this.size = floats(this.size);
    this.capacity = capacity;
  }

  private newCell(x: number, y: number, size: number): number {
    if (this.used >= this.capacity) this.ensure(this.used + 1);
    const c = this.used++;
    this.child.fill(-1, c * 4, c * 4 + 4);
    this.body[c] = -1;
    this.cellMass[c] = 0;
    this.sumX[c] = 0;
    this.sumY[c] = 0;
    this.originX[c] = x;
    this.originY[c] = y;
    this.size[c] = size;
    return c;
  }

  private quadrant(c: number, x: number, y: number): number {
    const half = this.size[c]! / 2;
    return (x >= this.originX[c]! + half ? 1 : 0) + (y >= this.originY[c]! + half ? 2 : 0);
  }

  private childCell(c: number, q: number): number {
    let k = this.child[c * 4 + q]!;
    if (k === -1) {
      const half = this.size[c]! / 2;
      k = this.newCell(this.originX[c]! + (q & 1 ? half : 0), this.originY[c]! + (q & 2 ? half : 0), half);
      this.child[c * 4 + q] = k;
    }
    return k;
  }

  build(n: number, pos: Float64Array, mass: Float64Array): void {
    this.ensure(4 * n + 8);
    if (this.stack.length < 4 * n + 64) this.stack = new Int32Array(4 * n + 64);
    this.used = 0;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let v = 0; v < n; v++) {
      const x = pos[2 * v]!;
      const y = pos[2 * v + 1]!;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    const size = Math.max(x1 - x0, y1 - y0, 1) * 1.0001;
    const root = this.newCell(x0, y0, size);
    const minSize = size / 2 ** 24;
    for (let v = 0; v < n; v++) {
      const x = pos[2 * v]!;
      const y = pos[2 * v + 1]!;
      const m = mass[v]!;
      let c = root;
      for (;;) {
        const hasChildren = this.child[c * 4] !== -1 || this.child[c * 4 + 1] !== -1 || this.child[c * 4 + 2] !== -1 || this.child[c * 4 + 3] !== -1;
        if (!hasChildren && this.cellMass[c] === 0) {
          this.body[c] = v;
          this.add(c, x, y, m);
          break;
        }
        if (!hasChildren && this.body[c]! >= 0 && this.size[c]! > minSize) {
          // Split the leaf: its body goes one level down, then this one continues.
          const other = this.body[c]!;
          this.body[c] = -1;
          const k = this.childCell(c, this.quadrant(c, pos[2 * other]!, pos[2 * other + 1]!));
          this.body[k] = other;
          this.add(k, pos[2 * other]!, pos[2 * other + 1]!, mass[other]!);
        } else if (!hasChildren) {
          // Too small to split (coincident points): the leaf holds several bodies as one.
          this.body[c] = -2;
          this.add(c, x, y, m);
          break;
        }
        this.add(c, x, y, m);
        c = this.childCell(c, this.quadrant(c, x, y));
      }
    }
  }

  private add(c: number, x: number, y: number, m: number): void {
    this.cellMass[c]! += m;
    this.sumX[c]! += m * x;
    this.sumY[c]! += m * y;
  }

  /** Adds to (fx, fy) the repulsion on body v from every other body, approximated with opening angle theta. */
  repulse(v: number, x: number, y: number, m: number, strength: number, theta2: number, out: Float64Array): void {
    let fx = 0;
    let fy = 0;
    let top = 0;
    const stack = this.stack;
    stack[top++] = 0;
    while (top > 0) {
      const c = stack[--top]!;
      const cm = this.cellMass[c]!;
      if (cm === 0) continue;
      const b = this.body[c]!;
      if (b === v) continue;
      const cx = this.sumX[c]! / cm;
      const cy = this.sumY[c]! / cm;
      let dx = x - cx;
      let dy = y - cy;
      let d2 = dx * dx + dy * dy;
      const s = this.size[c]!;
      const leaf = b !== -1;
      if (leaf || s * s < theta2 * d2) {
        let own = cm;
        if (b === -2 && d2 < 1e-9) own = cm - m; // a merged leaf that holds v itself
        if (own <= 0) continue;
        if (d2 < 1e-4) {
          // Coincident: push apart in a direction that depends on the index (deterministic).
          dx = Math.cos(v) * 0.01;
          dy = Math.sin(v) * 0.01;
          d2 = 1e-4;
        }
        const f = (strength * m * own) / d2; // k² m_v m_c / d, as a vector: (dx, dy) · f
        fx += dx * f;
        fy += dy * f;
      } else {
        for (let q = 0; q < 4; q++) {
          const k = this.child[c * 4 + q]!;
          if (k !== -1) stack[top++] = k;
        }
      }
    }
    out[2 * v]! += fx;
    out[2 * v + 1]! += fy;
  }
}

/** The radius of the laid-out scene, in edge lengths times the square root of the node count. */
const DISC = 0.9;

interface RunOptions {
  iterations: number;
  /** The largest step at the start, in model pixels; it cools to almost nothing. */
  startTemperature: number;
  k: number;
  fixed?: ReadonlyMap<number, { x: number; y: number }>;
}

/** Fruchterman–Reingold with Barnes–Hut repulsion, weighted edges and a weak pull to the centre. */
function refine(level: Level, pos: Float64Array, tree: QuadTree, { iterations, startTemperature, k, fixed }: RunOptions): void {
  const { n, offsets, targets, weights, mass } = level;
  const disp = new Float64Array(2 * n);
  const k2 = k * k;
  const theta2 = 0.9 * 0.9;
  // A linear pull g·m·d against repulsion k²·m·M/d settles into a disc of radius R where g = k²·M/R²; with
  // R = DISC·k·√M that is 1/DISC², whatever the size of the graph.
  const gravity = 1 / (DISC * DISC);
  for (let it = 0; it < iterations; it++) {
    const temperature = startTemperature * (1 - it / iterations) + k * 0.02;
    disp.fill(0);
    tree.build(n, pos, mass);
    let cx = 0;
    let cy = 0;
    let total = 0;
    for (let v = 0; v < n; v++) {
      tree.repulse(v, pos[2 * v]!, pos[2 * v + 1]!, mass[v]!, k2, theta2, disp);
      cx += pos[2 * v]! * mass[v]!;
      cy += pos[2 * v + 1]! * mass[v]!;
      total += mass[v]!;
    }
    cx /= total;
    cy /= total;
    for (let v = 0; v < n; v++) {
      const x = pos[2 * v]!;
      const y = pos[2 * v + 1]!;
      for (let i = offsets[v]!; i < offsets[v + 1]!; i++) {
        const u = targets[i]!;
        if (u < v) continue;
        const dx = x - pos[2 * u]!;
        const dy = y - pos[2 * u + 1]!;
        const d = Math.sqrt(dx * dx + dy * dy);
        if (d < 1e-9) continue;
        const f = (weights[i]! * d) / k; // d² / k, as a vector: (dx, dy) · d / k
        disp[2 * v]! -= dx * f;
        disp[2 * v + 1]! -= dy * f;
        disp[2 * u]! += dx * f;
        disp[2 * u + 1]! += dy * f;
      }
      const gx = cx - x;
      const gy = cy - y;
      disp[2 * v]! += gx * gravity * mass[v]!;
      disp[2 * v + 1]! += gy * gravity * mass[v]!;
    }
    for (let v = 0; v < n; v++) {
      const pin = fixed?.get(v);
      if (pin) {
        pos[2 * v] = pin.x;
        pos[2 * v + 1] = pin.y;
        continue;
      }
      const dx = disp[2 * v]! / mass[v]!;
      const dy = disp[2 * v + 1]! / mass[v]!;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d < 1e-12) continue;
      const step = Math.min(d, temperature) / d;
      pos[2 * v]! += dx * step;
      pos[2 * v + 1]! += dy * step;
    }
  }
}

/**
 * Positions for `count` nodes as [x0, y0, x1, y1, …], centred on the origin. Deterministic for a given input and
 * seed. Pinned (`fixed`) nodes keep their positions and the rest settle around them.
 */
export function forceLayout(input: ForceLayoutInput): Float64Array {
  const { count, edges, fixed } = input;
  const k = input.edgeLength ?? 60;
  const rand = random(input.seed ?? 1);
  const pos = new Float64Array(2 * count);
  if (count === 0) return pos;
  if (count === 1) {
    const pin = fixed?.get(0);
    if (pin) pos.set([pin.x, pin.y]);
    return pos;
  }

  // Nodes without links take no part in the simulation (they would only drift to its rim): they are packed in a
  // grid beside it afterwards.
  const linked = new Uint8Array(count);
  for (let e = 0; e + 1 < edges.length; e += 2) {
    const a = edges[e]!;
    const b = edges[e + 1]!;
    if (a !== b && a >= 0 && b >= 0 && a < count && b < count) linked[a] = linked[b] = 1;
  }
  for (const index of fixed?.keys() ?? []) if (index >= 0 && index < count) linked[index] = 1;
  const inner = new Int32Array(count).fill(-1);
  const members: number[] = [];
  const isolated: number[] = [];
  for (let v = 0; v < count; v++) {
    if (linked[v]) {
      inner[v] = members.length;
      members.push(v);
    } else isolated.push(v);
  }
  const laidOut = layoutLinked(members, inner, edges, fixed, k, input.iterations, rand);
  for (let i = 0; i < members.length; i++) {
    pos[2 * members[i]!] = laidOut[2 * i]!;
    pos[2 * members[i]! + 1] = laidOut[2 * i + 1]!;
  }
  placeInGrid(pos, members, isolated, k);
  return pos;
}

/** Rows of `isolated` nodes to the right of the `members` (or centred on the origin when there are none). */
function placeInGrid(pos: Float64Array, members: readonly number[], isolated: readonly number[], k: number): void {
  if (isolated.length === 0) return;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const v of members) {
    x1 = Math.max(x1, pos[2 * v]!);
    y0 = Math.min(y0, pos[2 * v + 1]!);
    y1 = Math.max(y1, pos[2 * v + 1]!);
  }
  const gap = k * 0.8;
  const columns = Math.max(1, Math.ceil(Math.sqrt(isolated.length)));
  const rows = Math.ceil(isolated.length / columns);
  const left = members.length > 0 ? x1 + 2 * k : -((columns - 1) * gap) / 2;
  const top = members.length > 0 ? (y0 + y1) / 2 - ((rows - 1) * gap) / 2 : -((rows - 1) * gap) / 2;
  isolated.forEach((v, i) => {
    pos[2 * v] = left + (i % columns) * gap;
    pos[2 * v + 1] = top + Math.floor(i / columns) * gap;
  });
}

/** The multilevel layout of the nodes that have links (`members`; `inner` maps a node index to its place there). */
function layoutLinked(
  members: readonly number[],
  inner: Int32Array,
  edges: ArrayLike<number>,
  pinned: ReadonlyMap<number, { x: number; y: number }> | undefined,
  k: number,
  finestIterations: number | undefined,
  rand: () => number,
): Float64Array {
  const count = members.length;
  if (count === 0) return new Float64Array(0);
  let fixed: Map<number, { x: number; y: number }> | undefined;
  for (const [index, at] of pinned ?? []) {
    const i = inner[index];
    if (i === undefined || i < 0) continue;
    fixed ??= new Map();
    fixed.set(i, at);
  }
  const sources: number[] = [];
  const ends: number[] = [];
  for (let e = 0; e + 1 < edges.length; e += 2) {
    const a = inner[edges[e]!] ?? -1;
    const b = inner[edges[e + 1]!] ?? -1;
    if (a < 0 || b < 0) continue;
    sources.push(a);
    ends.push(b);
  }
  const finest = buildLevel(count, sources, ends, new Float64Array(sources.length).fill(1), new Float64Array(count).fill(1));
  const levels: Level[] = [finest];
  const maps: Int32Array[] = [];
  while (levels.length < 30 && levels[levels.length - 1]!.n > 60) {
    const next = coarsen(levels[levels.length - 1]!, rand);
    if (!next) break;
    levels.push(next.coarse);
    maps.push(next.map);
  }

  const tree = new QuadTree();
  // Coarsest: from random positions in a square that holds it comfortably.
  const coarsest = levels[levels.length - 1]!;
  let current = new Float64Array(2 * coarsest.n);
  const side = Math.sqrt(coarsest.n) * k * 2;
  for (let i = 0; i < current.length; i++) current[i] = (rand() - 0.5) * side;
  refine(coarsest, current, tree, {
    iterations: levels.length === 1 ? Math.max(finestIterations ?? 0, 300) : 300,
    startTemperature: side / 4,
    k,
    fixed: levels.length === 1 ? fixed : undefined,
  });

  // Finer levels: children start at their cluster's position, slightly apart, and are refined.
  for (let l = levels.length - 2; l >= 0; l--) {
    const level = levels[l]!;
    const map = maps[l]!;
    const next = new Float64Array(2 * level.n);
    for (let v = 0; v < level.n; v++) {
      const c = map[v]!;
      const angle = rand() * 2 * Math.PI;
      const r = k * 0.3 * rand();
      next[2 * v] = current[2 * c]! + r * Math.cos(angle);
      next[2 * v + 1] = current[2 * c + 1]! + r * Math.sin(angle);
    }
    current = next;
    const finestLevel = l === 0;
    refine(level, current, tree, {
      iterations: finestLevel ? (finestIterations ?? 30) : 30,
      startTemperature: k * (finestLevel ? 1.5 : 2),
      k,
      fixed: finestLevel ? fixed : undefined,
    });
  }

  if (!fixed || fixed.size === 0) {
    let cx = 0;
    let cy = 0;
    for (let v = 0; v < count; v++) {
      cx += current[2 * v]!;
      cy += current[2 * v + 1]!;
    }
    cx /= count;
    cy /= count;
    for (let v = 0; v < count; v++) {
      current[2 * v]! -= cx;
      current[2 * v + 1]! -= cy;
    }
  }
  return current;
}
