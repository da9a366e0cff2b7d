package skipgram

import (
	"image/png"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/plotter"
)

// TestPCA2 projects points that lie on a plane in 3-D: the projection keeps
// their distances, and the first axis is the direction of largest spread.
func TestPCA2(t *testing.T) {
	// Points a*u + b*v + c, u and v orthonormal, spread 3 along u, 1 along v.
	u := []float64{1 / math.Sqrt(2), 1 / math.Sqrt(2), 0}
	v := []float64{0, 0, 1}
	ab := [][2]float64{{3, 0}, {-3, 0}, {0, 1}, {0, -1}, {0, 0}} // mean 0, no covariance
	var x []float64
	for _, p := range ab {
		for k := range 3 {
			x = append(x, p[0]*u[k]+p[1]*v[k]+5)
		}
	}
	xy, err := PCA2(x, 3)
	if err != nil {
		t.Fatal(err)
	}
	mean := [2]float64{0, 0}
	for i, p := range ab {
		// Up to the sign of each axis.
		gx, gy := math.Abs(xy[i].X), math.Abs(xy[i].Y)
		if math.Abs(gx-math.Abs(p[0]-mean[0])) > 1e-12 || math.Abs(gy-math.Abs(p[1]-mean[1])) > 1e-12 {
			t.Errorf("point %d: (%v, %v), want ±(%v, %v)", i, xy[i].X, xy[i].Y, p[0]-mean[0], p[1]-mean[1])
		}
	}
	if _, err := PCA2(x[:4], 3); err == nil {
		t.Error("4 values in rows of 3: no error")
	}
}

func TestPlotWithLabels(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.png")
	xy := plotter.XYs{{X: 1, Y: 0}, {X: 0, Y: 1}, {X: -1, Y: 0}, {X: 0, Y: -1}}
	if err := PlotWithLabels(xy, []string{"a", "b", "c", "d"}, "four words", path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("not a PNG: %v", err)
	}
	if err := PlotWithLabels(xy, []string{"a"}, "", path); err == nil || !strings.Contains(err.Error(), "4 points and 1 labels") {
		t.Errorf("mismatched words: %v", err)
	}
}

// TestConditionalRow: the bisection finds the width whose entropy,
// computed here from the row, is log(perplexity).
func TestConditionalRow(t *testing.T) {
	d := []float64{0, 1, 4, 9, 0.5, 2, 16, 3}
	row := make([]float64, len(d))
	for _, perp := range []float64{2, 3.5, 5} {
		conditionalRow(d, 0, perp, row)
		h, sum := 0.0, 0.0
		for j, p := range row {
			if j == 0 && p != 0 {
				t.Errorf("p of the point itself %v", p)
			}
			if p > 0 {
				h -= p * math.Log(p)
			}
			sum += p
		}
		if math.Abs(sum-1) > 1e-12 || math.Abs(math.Exp(h)-perp) > 1e-3 {
			t.Errorf("perplexity %v: row sums to %v, has perplexity %v", perp, sum, math.Exp(h))
		}
	}
}

// TestTSNE: six clusters on orthogonal axes of 10-D, which no plane of
// principal components separates (the starting point), come apart in 2-D:
// the clusters' centres are far apart for their spreads.
func TestTSNE(t *testing.T) {
	const per, dim, clusters = 15, 10, 6
	r := rand.New(rand.NewSource(3))
	var x []float64
	for c := range clusters {
		for range per {
			for k := range dim {
				centre := 0.0
				if k == c {
					centre = 10
				}
				x = append(x, centre+r.NormFloat64())
			}
		}
	}
	y, err := TSNE(x, dim, 10, 500)
	if err != nil {
		t.Fatal(err)
	}
	// Each cluster's centre is farther from every other centre than three
	// times the largest mean distance of a cluster's points to its centre.
	var centre [clusters][2]float64
	for i, q := range y {
		centre[i/per][0] += q.X / per
		centre[i/per][1] += q.Y / per
	}
	spread := 0.0
	for c := range clusters {
		s := 0.0
		for i := c * per; i < (c+1)*per; i++ {
			s += math.Hypot(y[i].X-centre[c][0], y[i].Y-centre[c][1]) / per
		}
		spread = math.Max(spread, s)
	}
	for a := range clusters {
		for b := a + 1; b < clusters; b++ {
			if d := math.Hypot(centre[a][0]-centre[b][0], centre[a][1]-centre[b][1]); d < 3*spread {
				t.Errorf("clusters %d and %d: centres %.3g apart, spread up to %.3g", a, b, d, spread)
			}
		}
	}
	again, _ := TSNE(x, dim, 10, 500)
	for i := range y {
		if y[i] != again[i] {
			t.Fatalf("two runs differ at point %d: %v, %v", i, y[i], again[i])
		}
	}
	for _, c := range []struct {
		perp float64
		iter int
	}{{0, 10}, {89, 10}, {10, 0}} {
		if _, err := TSNE(x, dim, c.perp, c.iter); err == nil {
			t.Errorf("perplexity %v, %d iterations: no error", c.perp, c.iter)
		}
	}
}
