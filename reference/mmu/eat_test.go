package mmu_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/vmkata/vmkata/reference/mmu"
	"github.com/vmkata/vmkata/vm"
)

func TestEAT(t *testing.T) {
	const mem, fault = 200 * time.Nanosecond, 8 * time.Millisecond
	tests := []struct {
		p    float64
		want time.Duration
	}{
		{p: 0, want: 200 * time.Nanosecond},
		{p: 0.001, want: 8200 * time.Nanosecond}, // 8199.8 ns, rounded
		{p: 0.01, want: 80198 * time.Nanosecond},
		{p: 0.0000025, want: 220 * time.Nanosecond}, // Silberschatz: under 10% slowdown
		{p: 1, want: 8 * time.Millisecond},
	}
	for _, tt := range tests {
		got, err := mmu.EAT(tt.p, mem, fault)
		if err != nil || got != tt.want {
			t.Errorf("EAT(%v, %v, %v) = %v, %v; want %v, nil", tt.p, mem, fault, got, err, tt.want)
		}
	}
}

func TestEATWithTLB(t *testing.T) {
	tests := []struct {
		h        float64
		tlb, mem time.Duration
		levels   int
		want     time.Duration
	}{
		{h: 0.80, tlb: 20, mem: 100, levels: 1, want: 140},
		{h: 0.98, tlb: 20, mem: 100, levels: 1, want: 122},
		{h: 1, tlb: 1, mem: 100, levels: 4, want: 101},
		{h: 0, tlb: 1, mem: 100, levels: 4, want: 501},
		{h: 0, tlb: 1, mem: 100, levels: 5, want: 601},
	}
	for _, tt := range tests {
		got, err := mmu.EATWithTLB(tt.h, tt.tlb, tt.mem, tt.levels)
		if err != nil || got != tt.want {
			t.Errorf("EATWithTLB(%v, %v, %v, %d) = %v, %v; want %v, nil", tt.h, tt.tlb, tt.mem, tt.levels, got, err, tt.want)
		}
	}
}

func TestEATRejects(t *testing.T) {
	eats := []struct {
		name string
		call func() (time.Duration, error)
	}{
		{"EAT(-0.1, …)", func() (time.Duration, error) { return mmu.EAT(-0.1, 1, 1) }},
		{"EAT(1.1, …)", func() (time.Duration, error) { return mmu.EAT(1.1, 1, 1) }},
		{"EAT(NaN, …)", func() (time.Duration, error) { return mmu.EAT(math.NaN(), 1, 1) }},
		{"EAT(0.5, -1ns, 1ns)", func() (time.Duration, error) { return mmu.EAT(0.5, -1, 1) }},
		{"EAT(0.5, 1ns, -1ns)", func() (time.Duration, error) { return mmu.EAT(0.5, 1, -1) }},
		{"EATWithTLB(NaN, …)", func() (time.Duration, error) { return mmu.EATWithTLB(math.NaN(), 1, 1, 4) }},
		{"EATWithTLB(0.5, -1ns, …)", func() (time.Duration, error) { return mmu.EATWithTLB(0.5, -1, 1, 4) }},
		{"EATWithTLB(…, levels 0)", func() (time.Duration, error) { return mmu.EATWithTLB(0.5, 1, 1, 0) }},
		{"EATWithTLB overflowing", func() (time.Duration, error) { return mmu.EATWithTLB(0, 1, math.MaxInt64/2, 4) }},
	}
	for _, tt := range eats {
		if got, err := tt.call(); !errors.Is(err, vm.ErrOutOfRange) {
			t.Errorf("%s = %v, %v; want an error wrapping %v", tt.name, got, err, vm.ErrOutOfRange)
		}
	}
}
