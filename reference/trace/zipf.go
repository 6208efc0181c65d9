package trace

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/vmkata/vmkata/vm"
)

// ZipfSampler draws ranks 1..n with Zipf's law, P(k) ∝ 1/k^alpha, for any
// alpha >= 0, in O(1) time and memory per draw, whatever n.
//
// It implements rejection-inversion (W. Hörmann and G. Derflinger,
// "Rejection-inversion to generate variates from monotone discrete
// distributions", ACM TOMACS 6(3), 1996), as Apache Commons Math does: it
// inverts the integral H of the continuous hat h(x) = x^-alpha and accepts
// the rounded point k unless it falls outside the area of P(k). The
// functions helper1 and helper2 keep H and its inverse exact near alpha = 1,
// where H becomes a logarithm; that is why alpha = 1 needs no special case.
// alpha = 0 is drawn uniformly.
type ZipfSampler struct {
	n                   int
	alpha               float64
	hX1, hN, acceptBand float64 // H(1.5)-1, H(n+0.5), and the squeeze width s
}

// NewZipfSampler returns a sampler over ranks 1..n. It returns an error
// wrapping vm.ErrInvalidConfig when n < 1 or alpha is negative or not finite.
func NewZipfSampler(n int, alpha float64) (*ZipfSampler, error) {
	if n < 1 {
		return nil, fmt.Errorf("trace: zipf: %d pages: need at least 1: %w", n, vm.ErrInvalidConfig)
	}
	if !(alpha >= 0) || math.IsInf(alpha, 1) {
		return nil, fmt.Errorf("trace: zipf: exponent %v: need a finite alpha >= 0: %w", alpha, vm.ErrInvalidConfig)
	}
	z := &ZipfSampler{n: n, alpha: alpha}
	z.hX1 = z.hIntegral(1.5) - 1
	z.hN = z.hIntegral(float64(n) + 0.5)
	z.acceptBand = 2 - z.hIntegralInverse(z.hIntegral(2.5)-z.h(2))
	return z, nil
}

// Sample draws one rank in 1..n.
func (z *ZipfSampler) Sample(rng *rand.Rand) int {
	if z.alpha == 0 || z.n == 1 {
		return 1 + rng.IntN(z.n)
	}
	for {
		// u is uniform in (hX1, hN]: H's image of [1.5 - 1, n + 0.5].
		u := z.hN + rng.Float64()*(z.hX1-z.hN)
		x := z.hIntegralInverse(u)
		k := int(x + 0.5)
		if k < 1 {
			k = 1
		} else if k > z.n {
			k = z.n
		}
		if float64(k)-x <= z.acceptBand || u >= z.hIntegral(float64(k)+0.5)-z.h(float64(k)) {
			return k
		}
	}
}

// h is the hat function x^-alpha.
func (z *ZipfSampler) h(x float64) float64 { return math.Exp(-z.alpha * math.Log(x)) }

// hIntegral is H(x) = (x^(1-alpha) - 1) / (1-alpha), or log(x) at alpha = 1.
func (z *ZipfSampler) hIntegral(x float64) float64 {
	lx := math.Log(x)
	return helper2((1-z.alpha)*lx) * lx
}

// hIntegralInverse is H's inverse.
func (z *ZipfSampler) hIntegralInverse(x float64) float64 {
	t := x * (1 - z.alpha)
	if t < -1 {
		t = -1 // guards rounding: H's image never goes below -1/(1-alpha)
	}
	return math.Exp(helper1(t) * x)
}

// helper1 is log(1+x)/x, exact near 0.
func helper1(x float64) float64 {
	if math.Abs(x) > 1e-8 {
		return math.Log1p(x) / x
	}
	return 1 - x*(0.5-x*(1.0/3-0.25*x))
}

// helper2 is (exp(x)-1)/x, exact near 0.
func helper2(x float64) float64 {
	if math.Abs(x) > 1e-8 {
		return math.Expm1(x) / x
	}
	return 1 + x*0.5*(1+x*(1.0/3)*(1+0.25*x))
}
