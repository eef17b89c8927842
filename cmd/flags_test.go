package main

import (
	"maps"
	"slices"
	"testing"
)

func TestWatchNamespacesRestrictTheCache(t *testing.T) {
	for _, tc := range []struct {
		flag string
		want []string // nil: every namespace
	}{
		{"", nil},
		{" , ", nil},
		{"customers", []string{"customers"}},
		{"customers, resellers ,", []string{"customers", "resellers"}},
	} {
		got := namespaces(tc.flag)
		if tc.want == nil {
			if got != nil {
				t.Errorf("--watch-namespaces=%q: %v, want every namespace (nil)", tc.flag, got)
			}
			continue
		}
		if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, tc.want) {
			t.Errorf("--watch-namespaces=%q: %v, want %v", tc.flag, keys, tc.want)
		}
	}
}

func TestLiveNeedsPartnerDomain(t *testing.T) {
	for _, tc := range []struct {
		f    flags
		fail bool
	}{
		{flags{}, false}, // the simulator
		{flags{partnerCenterURL: "https://api.partnercenter.microsoft.com"}, true},
		{flags{partnerCenterURL: "https://api.partnercenter.microsoft.com", partnerDomain: " "}, true},
		{flags{partnerCenterURL: "https://api.partnercenter.microsoft.com", partnerDomain: "contoso-partner.com"}, false},
	} {
		if err := liveNeedsPartnerDomain(tc.f); (err != nil) != tc.fail {
			t.Errorf("%+v: error %v, want failure %v", tc.f, err, tc.fail)
		}
	}
}
