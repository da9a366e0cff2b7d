// Package figure draws the figures of Géron's chapter 14 with gonum/plot:
// the chapter's own figures (TimeSeries for Figure 14-7, Prediction for 14-9,
// Sequences for 14-11, Curves for the accuracy and loss curves), and the few
// helpers they are made of, standing for plt.plot's format strings ("b-",
// "bo", "w*", "r.") and for plt.subplot's side-by-side panels.
//
// Figures come as PNG bytes, to show in a notebook (in GoNB:
// gonbui.DisplayPNG(png)) or to write to a file (WriteFile). The package
// writes no file unless asked to.
package figure

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	imgdraw "image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Matplotlib's default colors for "b" and "r" in the chapter's figures.
var (
	Blue = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	Red  = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
)

// New returns a plot with a title and axis labels (any may be empty) and
// matplotlib-like font sizes.
func New(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.X.Label.TextStyle.Font.Size = vg.Points(12)
	p.Y.Label.TextStyle.Font.Size = vg.Points(12)
	p.Legend.TextStyle.Font.Size = vg.Points(11)
	return p
}

// XYs pairs xs with ys; the shorter one sets the length.
func XYs(xs, ys []float64) plotter.XYs {
	n := min(len(xs), len(ys))
	pts := make(plotter.XYs, n)
	for i := range pts {
		pts[i].X, pts[i].Y = xs[i], ys[i]
	}
	return pts
}

// Line adds a line (plt.plot(xs, ys, "b-", linewidth=width)) to p, with a
// legend entry if label is not empty.
func Line(p *plot.Plot, xs, ys []float64, c color.Color, width float64, label string) error {
	l, err := plotter.NewLine(XYs(xs, ys))
	if err != nil {
		return err
	}
	l.LineStyle.Color = c
	l.LineStyle.Width = vg.Points(width)
	p.Add(l)
	if label != "" {
		p.Legend.Add(label, l)
	}
	return nil
}

// Markers adds unjoined markers (plt.plot(xs, ys, "bo")) drawn by shape,
// of the given radius, to p, with a legend entry if label is not empty.
func Markers(p *plot.Plot, xs, ys []float64, c color.Color, shape draw.GlyphDrawer, radius float64, label string) error {
	s, err := plotter.NewScatter(XYs(xs, ys))
	if err != nil {
		return err
	}
	s.GlyphStyle.Color = c
	s.GlyphStyle.Shape = shape
	s.GlyphStyle.Radius = vg.Points(radius)
	p.Add(s)
	if label != "" {
		p.Legend.Add(label, s)
	}
	return nil
}

// Star is a five-pointed star glyph (matplotlib's "*" marker) filled white
// and thinly outlined in the glyph's color.
type Star struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (Star) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	pts := make([]vg.Point, 0, 11)
	for i := 0; i < 10; i++ {
		r := sty.Radius
		if i%2 == 1 {
			r *= 0.42
		}
		a := math.Pi/2 + float64(i)*math.Pi/5
		pts = append(pts, vg.Point{X: pt.X + r*vg.Length(math.Cos(a)), Y: pt.Y + r*vg.Length(math.Sin(a))})
	}
	c.FillPolygon(color.White, pts)
	pts = append(pts, pts[0])
	c.StrokeLines(draw.LineStyle{Color: sty.Color, Width: vg.Points(0.6)}, pts)
}

// PNG draws plots side by side (plt.subplot(1, n, i)) into one PNG image of
// the given size in inches (96 dots an inch) and returns its bytes, ready for
// a notebook's display (GoNB: gonbui.DisplayPNG) or a file.
func PNG(width, height float64, plots ...*plot.Plot) ([]byte, error) {
	img, err := render(width, height, plots)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// render draws plots side by side into an image of width x height inches.
func render(width, height float64, plots []*plot.Plot) (*vgimg.Canvas, error) {
	if len(plots) == 0 {
		return nil, errors.New("figure.PNG: no plots to draw")
	}
	img := vgimg.New(vg.Length(width)*vg.Inch, vg.Length(height)*vg.Inch)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: len(plots), PadX: vg.Millimeter * 4, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	for i, p := range plots {
		p.Draw(tiles.At(dc, i, 0))
	}
	return img, nil
}

// palettedPNG is PNG with each pixel replaced by the nearest color of pal:
// for a figure of few colors (text and one color of points on white, whose
// anti-aliased edges are ramps from white), a fraction of PNG's size.
func palettedPNG(width, height float64, pal color.Palette, plots ...*plot.Plot) ([]byte, error) {
	img, err := render(width, height, plots)
	if err != nil {
		return nil, err
	}
	src := img.Image()
	dst := image.NewPaletted(src.Bounds(), pal)
	imgdraw.Draw(dst, dst.Rect, src, src.Bounds().Min, imgdraw.Src)
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, dst); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ramps returns, for each color, n shades from white to it (white once).
func ramps(n int, colors ...color.Color) color.Palette {
	pal := color.Palette{color.White}
	for _, c := range colors {
		r, g, b, _ := c.RGBA()
		for i := 1; i <= n; i++ {
			mix := func(v uint32) uint8 { return uint8((int(v>>8)*i + 255*(n-i)) / n) }
			pal = append(pal, color.RGBA{R: mix(r), G: mix(g), B: mix(b), A: 0xff})
		}
	}
	return pal
}

// Save writes plots side by side (plt.subplot(1, n, i)) into one PNG file of
// the given size in inches, making its directory if needed.
func Save(path string, width, height float64, plots ...*plot.Plot) error {
	b, err := PNG(width, height, plots...)
	if err != nil {
		return err
	}
	return WriteFile(path, b)
}

// WriteFile writes a PNG made by PNG or by one of the chapter's figure
// functions to path, making its directory if needed.
func WriteFile(path string, png []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

// Dir returns dir, made if missing, or a new temporary directory when dir is
// empty: where a program writes its figures when the user named no place
// (never the current directory).
func Dir(dir string) (string, error) {
	if dir == "" {
		return os.MkdirTemp("", "gorgoflow-figures-")
	}
	return dir, os.MkdirAll(dir, 0o755)
}
