// Package timeseries holds the data of the time-series examples of Géron's
// chapter 14 (14.3.2 and 14.3.3): the generated series
//
//	t*sin(t)/3 + 2*sin(5t),  t in [TMin, TMax] at Resolution,
//
// and the random training windows drawn from it, as the chapter's notebook
// defines them (t_min, t_max, resolution, time_series(t), next_batch).
package timeseries

import (
	"math"
	"math/rand/v2"
)

// The series' time range and step (the notebook's t_min, t_max and resolution).
const (
	TMin       = 0.0
	TMax       = 30.0
	Resolution = 0.1
)

// TimeSeries returns the series at time t (the notebook's time_series(t)).
func TimeSeries(t float64) float64 {
	return t*math.Sin(t)/3 + 2*math.Sin(t*5)
}

// Values returns TimeSeries at each of ts.
func Values(ts []float64) []float64 {
	ys := make([]float64, len(ts))
	for i, t := range ts {
		ys[i] = TimeSeries(t)
	}
	return ys
}

// Linspace returns n evenly spaced numbers from start to stop, both included
// when n > 1 (numpy's linspace).
func Linspace(start, stop float64, n int) []float64 {
	if n <= 0 {
		return nil
	}
	if n == 1 {
		return []float64{start}
	}
	step := (stop - start) / float64(n-1)
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = start + float64(i)*step
	}
	xs[n-1] = stop
	return xs
}

// Window returns the training instance starting at time t0 and its target:
// x[i] = TimeSeries(t0 + i*Resolution) for i in [0, nSteps), and y[i] =
// x[i+1], the same window one step later.
func Window(t0 float64, nSteps int) (x, y []float64) {
	ys := make([]float64, nSteps+1)
	for i := range ys {
		ys[i] = TimeSeries(t0 + float64(i)*Resolution)
	}
	return ys[:nSteps], ys[1:]
}

// NextBatch draws batchSize windows of nSteps steps at random starts t0,
// uniform in [TMin, TMax - nSteps*Resolution), and returns them shaped
// [batchSize, nSteps, 1] ready to feed, with their targets (the notebook's
// next_batch(batch_size, n_steps)). As the notebook, t0 is a fraction of
// that length from 0, so TMin is taken to be 0.
func NextBatch(rng *rand.Rand, batchSize, nSteps int) (X, y [][][]float32) {
	X = make([][][]float32, batchSize)
	y = make([][][]float32, batchSize)
	for b := range X {
		t0 := rng.Float64() * (TMax - TMin - float64(nSteps)*Resolution)
		xs, ys := Window(t0, nSteps)
		X[b], y[b] = Column(xs), Column(ys)
	}
	return X, y
}

// Column returns xs as a column [len(xs), 1] of float32, one time step per
// row, as numpy's reshape(n_steps, 1) lays out one instance.
func Column(xs []float64) [][]float32 {
	col := make([][]float32, len(xs))
	for i, x := range xs {
		col[i] = []float32{float32(x)}
	}
	return col
}
