package tf_test

import (
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

func TestConvertToTensor(t *testing.T) {
	cases := []struct {
		name  string
		v     any
		dt    tf.DType
		want  tf.DType
		shape []int
		vals  []float64
	}{
		{"float64 scalar is float32", 1.5, tf.Invalid, tf.Float32, []int{}, []float64{1.5}},
		{"int scalar is int32", 7, tf.Invalid, tf.Int32, []int{}, []float64{7}},
		{"int64 scalar", int64(-7), tf.Invalid, tf.Int64, []int{}, []float64{-7}},
		{"float32 scalar to float64", float32(0.5), tf.Float64, tf.Float64, []int{}, []float64{0.5}},
		{"lossless float to int32", 3.0, tf.Int32, tf.Int32, []int{}, []float64{3}},
		{"int to float64", 3, tf.Float64, tf.Float64, []int{}, []float64{3}},
		{"[]float64 keeps float64", []float64{1, 2}, tf.Invalid, tf.Float64, []int{2}, []float64{1, 2}},
		{"[]int is int32", []int{1, 2, 3}, tf.Invalid, tf.Int32, []int{3}, []float64{1, 2, 3}},
		{"[]int64", []int64{4}, tf.Invalid, tf.Int64, []int{1}, []float64{4}},
		{"[][]float32", [][]float32{{1, 2, 3}, {4, 5, 6}}, tf.Invalid, tf.Float32, []int{2, 3}, []float64{1, 2, 3, 4, 5, 6}},
		{"[][]float32 to float64", [][]float32{{1, 2}, {3, 4}}, tf.Float64, tf.Float64, []int{2, 2}, []float64{1, 2, 3, 4}},
		{"[][][]float32", [][][]float32{{{1}, {2}}, {{3}, {4}}}, tf.Invalid, tf.Float32, []int{2, 2, 1}, []float64{1, 2, 3, 4}},
		{"[][]int to float32", [][]int{{1, 2}, {3, 4}}, tf.Float32, tf.Float32, []int{2, 2}, []float64{1, 2, 3, 4}},
		{"[][]float64 integral to int64", [][]float64{{1, -2}}, tf.Int64, tf.Int64, []int{1, 2}, []float64{1, -2}},
		{"array", [2][3]float64{{1, 2, 3}, {4, 5, 6}}, tf.Invalid, tf.Float64, []int{2, 3}, []float64{1, 2, 3, 4, 5, 6}},
		{"[]any rows", [][]any{{1.0, 2.0}}, tf.Float64, tf.Float64, []int{1, 2}, []float64{1, 2}},
		{"empty", []float64{}, tf.Invalid, tf.Float64, []int{0}, []float64{}},
		{"empty rows", [][]float32{}, tf.Invalid, tf.Float32, []int{0, 0}, []float64{}},
		{"dense float64 to float32", tensor.New(tensor.WithShape(2), tensor.WithBacking([]float64{1, 2})), tf.Float32, tf.Float32, []int{2}, []float64{1, 2}},
	}
	for _, c := range cases {
		d, err := tfimpl.ConvertToTensor(c.v, c.dt)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := tf.DTypeOf(d.Dtype()); got != c.want {
			t.Errorf("%s: dtype %s, want %s", c.name, got, c.want)
		}
		checkShape(t, c.name, d.Shape(), c.shape)
		checkClose(t, c.name, tfimpl.Float64s(d), c.vals)
	}
	b, err := tfimpl.ConvertToTensor([][]bool{{true, false}}, tf.Invalid)
	if err != nil || tf.DTypeOf(b.Dtype()) != tf.Bool || b.Bools()[0] != true || b.Bools()[1] != false {
		t.Errorf("[][]bool: %v %v", b, err)
	}
	if s, err := tfimpl.ConvertToTensor(true, tf.Bool); err != nil || s.ScalarValue() != true {
		t.Errorf("bool scalar: %v %v", s, err)
	}
}

func TestConvertToTensorErrors(t *testing.T) {
	cases := []struct {
		name  string
		v     any
		dt    tf.DType
		parts []string
	}{
		{"lossy scalar", 1.5, tf.Int32, []string{"1.5", "int32"}},
		{"lossy slice", []float64{1, 2.5}, tf.Int64, []string{"element 1", "2.5"}},
		{"int32 range", 3e10, tf.Int32, []string{"out of range"}},
		{"ragged 2", [][]float64{{1, 2}, {3}}, tf.Invalid, []string{"ragged", "[1]", "length 1", "length 2"}},
		{"ragged float32 fast path", [][]float32{{1, 2}, {3, 4}, {5}}, tf.Invalid, []string{"ragged", "[2]"}},
		{"ragged 3", [][][]int{{{1, 2}, {3, 4}}, {{5, 6}, {7}}}, tf.Invalid, []string{"ragged", "[1][1]"}},
		{"ragged float32 3", [][][]float32{{{1}, {2}}, {{3}, {4, 5}}}, tf.Invalid, []string{"ragged", "[1][1]"}},
		{"ragged any", []any{[]float64{1}, 2.0}, tf.Float64, []string{"ragged", "[1]"}},
		{"bool to float", []bool{true}, tf.Float32, []string{"bool", "float32"}},
		{"float to bool", 1.0, tf.Bool, []string{"bool"}},
		{"bool scalar to int", true, tf.Int32, []string{"bool", "int32"}},
		{"string", "abc", tf.Invalid, []string{"string"}},
		{"strings", []string{"a"}, tf.Invalid, []string{"string"}},
		{"nil", nil, tf.Invalid, []string{"nil"}},
	}
	for _, c := range cases {
		_, err := tfimpl.ConvertToTensor(c.v, c.dt)
		wantErr(t, c.name, err, c.parts...)
	}
}

func TestConvertUint8(t *testing.T) {
	u := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]uint8{0, 1, 128, 255}))
	d, err := tfimpl.ConvertToTensor(u, tf.Float32)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0, 1, 128, 255}
	for i, v := range d.Float32s() {
		if v != want[i] {
			t.Fatalf("element %d: got %v want %v", i, v, want[i])
		}
	}
	if d.Shape()[0] != 2 || d.Shape()[1] != 2 {
		t.Fatalf("shape %v", d.Shape())
	}
}
