package skipgram

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// PCA2 returns the n rows of x (n x dim, row-major) projected on their
// first two principal components (PCA by SVD of the centered rows), as
// (x, y) points.
func PCA2(x []float64, dim int) (plotter.XYs, error) {
	if dim < 2 || len(x) == 0 || len(x)%dim != 0 {
		return nil, fmt.Errorf("skipgram.PCA2: %d values of rows of %d: want a whole number of rows of at least 2 values", len(x), dim)
	}
	n := len(x) / dim
	m := mat.NewDense(n, dim, append([]float64(nil), x...))
	for j := 0; j < dim; j++ {
		mean := 0.0
		for i := 0; i < n; i++ {
			mean += m.At(i, j)
		}
		mean /= float64(n)
		for i := 0; i < n; i++ {
			m.Set(i, j, m.At(i, j)-mean)
		}
	}
	var svd mat.SVD
	if !svd.Factorize(m, mat.SVDThin) {
		return nil, fmt.Errorf("skipgram.PCA2: SVD did not converge")
	}
	var v mat.Dense
	svd.VTo(&v)
	var p mat.Dense
	p.Mul(m, v.Slice(0, dim, 0, 2))
	xys := make(plotter.XYs, n)
	for i := range xys {
		xys[i].X, xys[i].Y = p.At(i, 0), p.At(i, 1)
	}
	return xys, nil
}

// PlotWithLabels draws the 2-D points xy, each labelled by its word (the
// notebook's plot_with_labels), under title, into the image file path (PNG,
// SVG or PDF by its extension). xy comes from TSNE (the notebook's figure)
// or PCA2.
func PlotWithLabels(xy plotter.XYs, labels []string, title, path string) error {
	if len(xy) != len(labels) {
		return fmt.Errorf("skipgram.PlotWithLabels: %d points and %d labels", len(xy), len(labels))
	}
	p := plot.New()
	p.Title.Text = title
	s, err := plotter.NewScatter(xy)
	if err != nil {
		return err
	}
	s.GlyphStyle.Radius = vg.Points(1.5)
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xy, Labels: labels})
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font.Size = vg.Points(7)
	}
	p.Add(s, l)
	return p.Save(16*vg.Inch, 16*vg.Inch, path)
}
