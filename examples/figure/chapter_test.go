package figure

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/plotter"

	ts "github.com/gorgoflow/gorgoflow/examples/timeseries"
)

// Each chapter figure is a PNG of the notebook's figsize at 96 dots an inch,
// and bad arguments are errors.
func TestChapterFigures(t *testing.T) {
	tInstance := ts.Linspace(12.2, 12.2+ts.Resolution*21, 21)
	seq := make([]float64, 40)
	tests := []struct {
		name          string
		draw          func() ([]byte, error)
		width, height int
	}{
		{"TimeSeries", func() ([]byte, error) { return TimeSeries(tInstance) }, 11 * 96, 4 * 96},
		{"Prediction", func() ([]byte, error) { return Prediction(tInstance, ts.Values(tInstance[1:])) }, 6 * 96, 432},
		{"Sequences/1", func() ([]byte, error) { return Sequences(20, seq) }, 8 * 96, 4 * 96},
		{"Sequences/2", func() ([]byte, error) { return Sequences(20, seq, seq) }, 11 * 96, 4 * 96},
		{"Curves", func() ([]byte, error) {
			return Curves("LSTM", "Epoch", "Accuracy", Curve{Label: "train", Y: []float64{0.9, 0.95}}, Curve{Label: "test", Y: []float64{0.91}})
		}, 7 * 96, 432},
		{"Curves/X", func() ([]byte, error) {
			return Curves("seq2seq", "Step", "Exact match", Curve{Label: "greedy", X: []float64{100, 200, 300}, Y: []float64{0.1, 0.5, 0.9}})
		}, 7 * 96, 432},
		{"Words", func() ([]byte, error) {
			return Words("embeddings", plotter.XYs{{X: 0, Y: 1}, {X: 1, Y: 0}, {X: -1, Y: -1}}, []string{"the", "of", "and"})
		}, 10 * 96, 10 * 96},
	}
	for _, tt := range tests {
		b, err := tt.draw()
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if r := img.Bounds(); r.Dx() != tt.width || r.Dy() != tt.height {
			t.Errorf("%s: %dx%d, want %dx%d", tt.name, r.Dx(), r.Dy(), tt.width, tt.height)
		}
	}
	bad := []struct {
		name string
		draw func() ([]byte, error)
	}{
		{"TimeSeries short", func() ([]byte, error) { return TimeSeries(tInstance[:1]) }},
		{"Prediction lengths", func() ([]byte, error) { return Prediction(tInstance, seq) }},
		{"Sequences none", func() ([]byte, error) { return Sequences(20) }},
		{"Sequences short", func() ([]byte, error) { return Sequences(50, seq) }},
		{"Curves none", func() ([]byte, error) { return Curves("", "", "") }},
		{"Curves X length", func() ([]byte, error) { return Curves("", "", "", Curve{X: []float64{1}, Y: []float64{1, 2}}) }},
		{"Words none", func() ([]byte, error) { return Words("", plotter.XYs{}, nil) }},
		{"Words lengths", func() ([]byte, error) { return Words("", plotter.XYs{{X: 1, Y: 1}}, []string{"a", "b"}) }},
		{"PNG none", func() ([]byte, error) { return PNG(1, 1) }},
	}
	for _, tt := range bad {
		if _, err := tt.draw(); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

// Words draws with a palette: white, shades of black and of blue.
func TestWordsPaletted(t *testing.T) {
	xys := make(plotter.XYs, 300)
	words := make([]string, len(xys))
	for i := range xys {
		xys[i].X, xys[i].Y = math.Sin(float64(i)), math.Cos(float64(3*i))
		words[i] = fmt.Sprintf("word%d", i)
	}
	b, err := Words("300 words", xys, words)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := img.(*image.Paletted)
	if !ok {
		t.Fatalf("a %T, want a paletted image", img)
	}
	if len(p.Palette) > 64 {
		t.Errorf("%d colors, want at most 64", len(p.Palette))
	}
	if r, g, b, a := p.At(0, 0).RGBA(); r&g&b&a != 0xffff {
		t.Errorf("corner %v, want white", p.At(0, 0))
	}
}

func TestWriteFile(t *testing.T) {
	b, err := Sequences(1, []float64{0, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "a", "b.png")
	if err := WriteFile(path, b); err != nil {
		t.Fatal(err)
	}
}
