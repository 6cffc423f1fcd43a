/**
 * The map as drawn, exported: an SVG copy of the stage with a white background, the legend and the shapes'
 * attribution written into it, and a PNG drawn from that SVG at twice the size. Used by MapView for the export menu.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';

export interface MapExportOptions {
  width: number;
  height: number;
  fontFamily: string;
  legendTitle: string;
  legendRows: readonly { colour: string; text: string }[];
  attribution: string;
}

/** The drawing as an SVG document, with the legend and attribution at its bottom left. */
export function mapSvgText(svg: SVGSVGElement, options: MapExportOptions): string {
  const { width, height, legendRows } = options;
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  copy.setAttribute('font-family', options.fontFamily);
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  copy.insertBefore(background, copy.firstChild);
  const lines = [options.legendTitle, ...legendRows.map((r) => `■ ${r.text}`), options.attribution];
  lines.forEach((line, i) => {
    const text = document.createElementNS(SVG_NS, 'text');
    text.setAttribute('x', '12');
    text.setAttribute('y', String(height - 12 - (lines.length - 1 - i) * 18));
    text.setAttribute('font-size', i === lines.length - 1 ? '11' : '13');
    text.setAttribute('fill', i > 0 && i < lines.length - 1 ? legendRows[i - 1]!.colour : '#1f2933');
    text.textContent = line;
    copy.append(text);
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

/** An SVG document drawn as a PNG at twice its size. */
export async function svgToPng(text: string, width: number, height: number): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the map could not be drawn as a picture'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = width * 2;
    canvas.height = height * 2;
    const context = canvas.getContext('2d')!;
    context.scale(2, 2);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no PNG'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
