package main

import (
	"testing"

	ctrl "sigs.k8s.io/controller-runtime"
)

func TestConcurrencyFlag(t *testing.T) {
	for _, tc := range []struct {
		value   string
		want    map[string]int
		wantErr bool
	}{
		{value: "4", want: map[string]int{"Customer": 4, "MCAAttestation": 4, "ResellerPartnership": 4, "Subscription": 4}},
		{value: "2,Customer=8", want: map[string]int{"Customer": 8, "MCAAttestation": 2, "ResellerPartnership": 2, "Subscription": 2}},
		{value: "Subscription=3", want: map[string]int{"Customer": defaultWorkers, "MCAAttestation": defaultWorkers, "ResellerPartnership": defaultWorkers, "Subscription": 3}},
		{value: "Widget=3", wantErr: true},
		{value: "0", wantErr: true},
		{value: "Customer=many", wantErr: true},
	} {
		t.Run(tc.value, func(t *testing.T) {
			c := defaultConcurrency()
			err := c.Set(tc.value)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Set(%q) error = %v, want error %v", tc.value, err, tc.wantErr)
			}
			for kind, n := range tc.want {
				if c[kind] != n {
					t.Errorf("Set(%q): %s = %d, want %d", tc.value, kind, c[kind], n)
				}
			}
		})
	}
}

func TestTuningApply(t *testing.T) {
	tn := &tuning{concurrency: concurrency{"Customer": 8, "Subscription": 2}, stripManagedFields: true}
	opts := tn.apply(ctrl.Options{})
	if got := opts.Controller.GroupKindConcurrency["Customer.partnercenter.csp.dev"]; got != 8 {
		t.Errorf("Customer concurrency = %d, want 8", got)
	}
	if opts.Cache.DefaultTransform == nil {
		t.Error("managedFields are not stripped from the cache")
	}
	explicit := ctrl.Options{}
	explicit.Controller.GroupKindConcurrency = map[string]int{"Subscription.partnercenter.csp.dev": 5}
	if got := tn.apply(explicit).Controller.GroupKindConcurrency["Subscription.partnercenter.csp.dev"]; got != 5 {
		t.Errorf("an explicit Subscription concurrency was overridden: %d, want 5", got)
	}
	if (&tuning{}).apply(ctrl.Options{}).Cache.DefaultTransform != nil {
		t.Error("a cache transform is set although every strip flag is off")
	}
}

func TestGCTarget(t *testing.T) {
	for _, tc := range []struct {
		name    string
		flag    int
		env     map[string]string
		want    int
		wantSet bool
	}{
		{"the default when GOGC is not set", defaultGCPercent, nil, defaultGCPercent, true},
		{"GOGC in the environment wins", defaultGCPercent, map[string]string{"GOGC": "200"}, 0, false},
		{"0 keeps Go's default", 0, nil, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lookup := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			got, set := (&tuning{gcPercent: tc.flag}).gcTarget(lookup)
			if got != tc.want || set != tc.wantSet {
				t.Fatalf("gcTarget = %d, %v; want %d, %v", got, set, tc.want, tc.wantSet)
			}
		})
	}
}
