package main

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// project returns the n rows of x (n x dim, row-major) projected on their
// first two principal components (PCA by SVD of the centered rows).
func project(x []float64, dim int) (plotter.XYs, error) {
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
		return nil, fmt.Errorf("PCA: SVD did not converge")
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

// plotWithLabels draws the embeddings' 2-D projection with each point
// labelled by its word (the notebook's plot_with_labels) into a PNG.
func plotWithLabels(emb []float64, dim int, words []string, path string) error {
	xys, err := project(emb, dim)
	if err != nil {
		return err
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("word2vec embeddings of the %d most frequent words (PCA)", len(words))
	s, err := plotter.NewScatter(xys)
	if err != nil {
		return err
	}
	s.GlyphStyle.Radius = vg.Points(1.5)
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: words})
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font.Size = vg.Points(6)
	}
	p.Add(s, l)
	return p.Save(18*vg.Inch, 18*vg.Inch, path)
}
