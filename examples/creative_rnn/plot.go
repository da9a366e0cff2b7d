package main

import (
	"gonum.org/v1/plot"

	"github.com/gorgoflow/gorgoflow/examples/internal/figure"
	ts "github.com/gorgoflow/gorgoflow/examples/internal/timeseries"
)

// drawSequences draws Figure 14-11: each generated sequence against time,
// its seed (the first nSteps values) drawn thick; the zero seed on the left,
// the instance seed on the right.
func drawSequences(path string, nSteps int, sequences ...[]float64) error {
	plots := make([]*plot.Plot, len(sequences))
	for i, seq := range sequences {
		yLabel := ""
		if i == 0 {
			yLabel = "Value"
		}
		p := figure.New("", "Time", yLabel)
		t := make([]float64, len(seq))
		for j := range t {
			t[j] = ts.TMin + float64(j)*ts.Resolution
		}
		if err := figure.Line(p, t, seq, figure.Blue, 1.5, ""); err != nil {
			return err
		}
		if err := figure.Line(p, t[:nSteps], seq[:nSteps], figure.Blue, 3, ""); err != nil {
			return err
		}
		plots[i] = p
	}
	return figure.Save(path, 11, 4, plots...)
}
