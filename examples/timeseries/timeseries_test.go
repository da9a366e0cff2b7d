package timeseries

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Expected values worked by hand (and checked with Python's math module):
// f(0.1) = 0.1*sin(0.1)/3 + 2*sin(0.5) = 0.0033278 + 0.9588511.
func TestTimeSeries(t *testing.T) {
	tests := []struct {
		t, want float64
	}{
		{0, 0},
		{0.1, 0.9621788577633003},
		{0.2, 1.696186591668797},
		{12.2, -3.3890346211132227},
		{14.0, 6.170615689691839},
		{14.1, 6.662318861100599},
	}
	for _, tt := range tests {
		if got := TimeSeries(tt.t); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("TimeSeries(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
}

func TestLinspace(t *testing.T) {
	tests := []struct {
		start, stop float64
		n           int
		want        []float64
	}{
		{0, 1, 5, []float64{0, 0.25, 0.5, 0.75, 1}},
		// The chapter's t_instance: 21 points over 2.1, a step of 0.105.
		{12.2, 14.3, 3, []float64{12.2, 13.25, 14.3}},
		{2, 3, 1, []float64{2}},
		{2, 3, 0, nil},
	}
	for _, tt := range tests {
		got := Linspace(tt.start, tt.stop, tt.n)
		if len(got) != len(tt.want) {
			t.Fatalf("Linspace(%v, %v, %d) = %v, want %v", tt.start, tt.stop, tt.n, got, tt.want)
		}
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-12 {
				t.Errorf("Linspace(%v, %v, %d) = %v, want %v", tt.start, tt.stop, tt.n, got, tt.want)
				break
			}
		}
	}
	if ts := Linspace(TMin, TMax, int((TMax-TMin)/Resolution)); len(ts) != 300 || ts[299] != 30 {
		t.Errorf("the chapter's t: %d points ending at %v, want 300 ending at 30", len(ts), ts[len(ts)-1])
	}
}

func TestWindow(t *testing.T) {
	x, y := Window(0, 2)
	wantX := []float64{0, 0.9621788577633003}
	wantY := []float64{0.9621788577633003, 1.696186591668797}
	for i := range wantX {
		if math.Abs(x[i]-wantX[i]) > 1e-12 || math.Abs(y[i]-wantY[i]) > 1e-12 {
			t.Fatalf("Window(0, 2) = %v, %v, want %v, %v", x, y, wantX, wantY)
		}
	}
}

// halfSource makes rand.Float64 return exactly 0.5: Float64 keeps the low
// 53 bits of Uint64 and divides by 2^53.
type halfSource struct{}

func (halfSource) Uint64() uint64 { return 1 << 52 }

func TestNextBatchWorkedByHand(t *testing.T) {
	// t0 = 0.5 * (30 - 3*0.1) = 14.85 for every instance.
	X, y := NextBatch(rand.New(halfSource{}), 2, 3)
	t0 := 14.85
	want := []float64{TimeSeries(t0), TimeSeries(t0 + 0.1), TimeSeries(t0 + 0.2), TimeSeries(t0 + 0.3)}
	if len(X) != 2 || len(y) != 2 {
		t.Fatalf("batch sizes %d, %d, want 2, 2", len(X), len(y))
	}
	for b := range X {
		if len(X[b]) != 3 || len(y[b]) != 3 {
			t.Fatalf("instance %d has %d and %d steps, want 3", b, len(X[b]), len(y[b]))
		}
		for i := 0; i < 3; i++ {
			if len(X[b][i]) != 1 || X[b][i][0] != float32(want[i]) || y[b][i][0] != float32(want[i+1]) {
				t.Errorf("instance %d step %d: x=%v y=%v, want [%v] [%v]", b, i, X[b][i], y[b][i], float32(want[i]), float32(want[i+1]))
			}
		}
	}
	if math.Abs(want[0]-(14.85*math.Sin(14.85)/3+2*math.Sin(74.25))) > 1e-12 {
		t.Fatal("TimeSeries disagrees with the formula")
	}
}

func TestNextBatchWindows(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const nSteps = 20
	X, y := NextBatch(rng, 50, nSteps)
	seen := map[float32]bool{}
	for b := range X {
		// Targets are the inputs shifted by one step.
		for i := 0; i+1 < nSteps; i++ {
			if y[b][i][0] != X[b][i+1][0] {
				t.Fatalf("instance %d: y[%d] = %v, x[%d] = %v; want equal", b, i, y[b][i][0], i+1, X[b][i+1][0])
			}
		}
		seen[X[b][0][0]] = true
	}
	if len(seen) < 45 {
		t.Errorf("only %d distinct starts in 50 random windows", len(seen))
	}
}
