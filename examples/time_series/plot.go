package main

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gorgoflow/gorgoflow/examples/internal/figure"
	ts "github.com/gorgoflow/gorgoflow/examples/internal/timeseries"
)

// drawSeries draws Figure 14-7: the series with a training instance (left)
// and the instance with its target, one step later (right).
func drawSeries(path string, t, tInstance []float64) error {
	n := len(tInstance) - 1
	left := figure.New("A time series (generated)", "Time", "Value")
	if err := figure.Line(left, t, ts.Values(t), figure.Blue, 1.5, "t·sin(t)/3 + 2·sin(5t)"); err != nil {
		return err
	}
	if err := figure.Line(left, tInstance[:n], ts.Values(tInstance[:n]), color.RGBA{B: 0xff, A: 0xff}, 3, "A training instance"); err != nil {
		return err
	}
	left.Legend.Left = true // loc="lower left"
	left.X.Min, left.X.Max, left.Y.Min, left.Y.Max = 0, 30, -17, 13

	right := figure.New("A training instance", "Time", "")
	if err := instanceAndTarget(right, tInstance); err != nil {
		return err
	}
	return figure.Save(path, 11, 4, left, right)
}

// drawPrediction draws Figure 14-9: the new instance, its target and the
// model's prediction of the target.
func drawPrediction(path string, tInstance, yPred []float64) error {
	p := figure.New("Testing the model", "Time", "Value")
	if err := instanceAndTarget(p, tInstance); err != nil {
		return err
	}
	if err := figure.Markers(p, tInstance[1:], yPred, figure.Red, draw.CircleGlyph{}, 3, "prediction"); err != nil {
		return err
	}
	return figure.Save(path, 6, 4.5, p)
}

// instanceAndTarget plots an instance as filled circles ("bo") and its
// target as white stars ("w*"; outlined here so that the last one shows),
// which sit inside the instance's circles one step later, with the legend at the upper left.
func instanceAndTarget(p *plot.Plot, tInstance []float64) error {
	n := len(tInstance) - 1
	if err := figure.Markers(p, tInstance[:n], ts.Values(tInstance[:n]), figure.Blue, draw.CircleGlyph{}, 6, "instance"); err != nil {
		return err
	}
	if err := figure.Markers(p, tInstance[1:], ts.Values(tInstance[1:]), color.Gray{Y: 0x40}, figure.Star{}, 5, "target"); err != nil {
		return err
	}
	p.Legend.Top, p.Legend.Left = true, true // loc="upper left"
	return nil
}
