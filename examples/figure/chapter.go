package figure

import (
	"errors"
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	ts "github.com/gorgoflow/gorgoflow/examples/timeseries"
)

// TimeSeries draws Figure 14-7 (the notebook's time_series_plot): the series
// over [TMin, TMax] with a training instance drawn thick (left), and the
// instance with its target one step later (right). tInstance holds the
// instance's n_steps + 1 times (the notebook's t_instance).
func TimeSeries(tInstance []float64) ([]byte, error) {
	if len(tInstance) < 2 {
		return nil, fmt.Errorf("figure.TimeSeries: tInstance has %d times; want n_steps + 1 >= 2", len(tInstance))
	}
	t := ts.Linspace(ts.TMin, ts.TMax, int((ts.TMax-ts.TMin)/ts.Resolution))
	n := len(tInstance) - 1
	left := New("A time series (generated)", "Time", "Value")
	if err := Line(left, t, ts.Values(t), Blue, 1.5, "t·sin(t)/3 + 2·sin(5t)"); err != nil {
		return nil, err
	}
	if err := Line(left, tInstance[:n], ts.Values(tInstance[:n]), color.RGBA{B: 0xff, A: 0xff}, 3, "A training instance"); err != nil {
		return nil, err
	}
	left.Legend.Left = true // loc="lower left"
	left.X.Min, left.X.Max, left.Y.Min, left.Y.Max = 0, 30, -17, 13

	right := New("A training instance", "Time", "")
	if err := instanceAndTarget(right, tInstance); err != nil {
		return nil, err
	}
	return PNG(11, 4, left, right)
}

// Prediction draws Figure 14-9 (the notebook's time_series_pred_plot): the
// instance at tInstance[:n], its target at tInstance[1:] and the model's
// prediction yPred of the target (n values).
func Prediction(tInstance, yPred []float64) ([]byte, error) {
	if len(tInstance) < 2 || len(yPred) != len(tInstance)-1 {
		return nil, fmt.Errorf("figure.Prediction: %d times and %d predictions; want n_steps + 1 times and n_steps predictions", len(tInstance), len(yPred))
	}
	p := New("Testing the model", "Time", "Value")
	if err := instanceAndTarget(p, tInstance); err != nil {
		return nil, err
	}
	if err := Markers(p, tInstance[1:], yPred, Red, draw.CircleGlyph{}, 3, "prediction"); err != nil {
		return nil, err
	}
	return PNG(6, 4.5, p)
}

// instanceAndTarget plots an instance as filled circles ("bo") and its
// target as white stars ("w*"; outlined here so that the last one shows),
// which sit inside the instance's circles one step later, with the legend at
// the upper left.
func instanceAndTarget(p *plot.Plot, tInstance []float64) error {
	n := len(tInstance) - 1
	if err := Markers(p, tInstance[:n], ts.Values(tInstance[:n]), Blue, draw.CircleGlyph{}, 6, "instance"); err != nil {
		return err
	}
	if err := Markers(p, tInstance[1:], ts.Values(tInstance[1:]), color.Gray{Y: 0x40}, Star{}, 5, "target"); err != nil {
		return err
	}
	p.Legend.Top, p.Legend.Left = true, true // loc="upper left"
	return nil
}

// Sequences draws Figure 14-11 (the notebook's creative_sequence_plot): each
// generated sequence against time (one value every Resolution from TMin), its
// seed (the first nSteps values) drawn thick, side by side.
func Sequences(nSteps int, sequences ...[]float64) ([]byte, error) {
	if len(sequences) == 0 {
		return nil, errors.New("figure.Sequences: no sequences")
	}
	plots := make([]*plot.Plot, len(sequences))
	for i, seq := range sequences {
		if nSteps < 0 || nSteps > len(seq) {
			return nil, fmt.Errorf("figure.Sequences: sequence %d has %d values; want at least nSteps = %d", i, len(seq), nSteps)
		}
		yLabel := ""
		if i == 0 {
			yLabel = "Value"
		}
		p := New("", "Time", yLabel)
		t := make([]float64, len(seq))
		for j := range t {
			t[j] = ts.TMin + float64(j)*ts.Resolution
		}
		if err := Line(p, t, seq, Blue, 1.5, ""); err != nil {
			return nil, err
		}
		if err := Line(p, t[:nSteps], seq[:nSteps], Blue, 3, ""); err != nil {
			return nil, err
		}
		plots[i] = p
	}
	width := 11.0
	if len(plots) == 1 {
		width = 8 // plt.figure(figsize=(8,4))
	}
	return PNG(width, 4, plots...)
}

// A Curve is one line of a Curves figure: Y[i] is drawn at x = X[i], or,
// without X, at x = i + First (epochs numbered from First).
type Curve struct {
	Label string
	First int
	X     []float64 // optional: the x of each Y (training steps, say); as long as Y
	Y     []float64
}

// Curves draws curves against the epoch (or iteration), one color each, with
// a legend: the accuracy or loss curves of a training run.
func Curves(title, xLabel, yLabel string, curves ...Curve) ([]byte, error) {
	if len(curves) == 0 {
		return nil, errors.New("figure.Curves: no curves")
	}
	palette := []color.Color{Blue, Red,
		color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}, // matplotlib's green
		color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}, // and orange
		color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff}, // and purple
	}
	p := New(title, xLabel, yLabel)
	for i, c := range curves {
		xs := c.X
		if xs == nil {
			xs = make([]float64, len(c.Y))
			for j := range xs {
				xs[j] = float64(j + c.First)
			}
		} else if len(xs) != len(c.Y) {
			return nil, fmt.Errorf("figure.Curves: curve %q has %d x values for %d y values", c.Label, len(xs), len(c.Y))
		}
		if err := Line(p, xs, c.Y, palette[i%len(palette)], 2, c.Label); err != nil {
			return nil, err
		}
		if len(c.Y) == 1 {
			if err := Markers(p, xs, c.Y, palette[i%len(palette)], draw.CircleGlyph{}, 3, ""); err != nil {
				return nil, err
			}
		}
	}
	p.Legend.Top = false
	p.Legend.Left = false
	return PNG(7, 4.5, p)
}

// Words draws points labelled by their words (the notebook's
// plot_with_labels of the word embeddings' 2-D projection): points.XY(i) is
// the point of words[i]. The figure is 10 inches square (the notebook's is
// 18; the labels are small so that 500 words can be read), in shades of
// black and blue only, so that it stays small in a notebook.
func Words(title string, points plotter.XYer, words []string) ([]byte, error) {
	if points == nil || points.Len() == 0 {
		return nil, errors.New("figure.Words: no points")
	}
	if points.Len() != len(words) {
		return nil, fmt.Errorf("figure.Words: %d points for %d words", points.Len(), len(words))
	}
	xys, err := plotter.CopyXYs(points)
	if err != nil {
		return nil, fmt.Errorf("figure.Words: %v", err)
	}
	p := New(title, "", "")
	s, err := plotter.NewScatter(xys)
	if err != nil {
		return nil, err
	}
	s.GlyphStyle.Color = Blue
	s.GlyphStyle.Radius = vg.Points(1.5)
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: words})
	if err != nil {
		return nil, err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font.Size = vg.Points(6)
	}
	p.Add(s, l)
	// Black text and blue points on white: 16 shades of each (and of their
	// overlap) keep the figure sharp at a quarter of its RGBA size.
	return palettedPNG(10, 10, ramps(16, color.Black, Blue, color.RGBA{R: 0x0f, G: 0x3b, B: 0x5a, A: 0xff}), p)
}
