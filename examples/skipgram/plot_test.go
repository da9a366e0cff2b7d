package skipgram

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	emb := []float64{1, 0, 0, 1, -1, 0, 0, -1}
	if err := PlotWithLabels(emb, 2, []string{"a", "b", "c", "d"}, path); err != nil {
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
	if err := PlotWithLabels(emb, 2, []string{"a"}, path); err == nil || !strings.Contains(err.Error(), "8 values for 1 words") {
		t.Errorf("mismatched words: %v", err)
	}
}
