package validation

import (
	"strings"
	"testing"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// TestS7EndOfTermLeftToPartnerCenterWarns: only a new-commerce subscription
// with autoRenew false and no endOfTerm gets the Extended Service Term warning.
func TestS7EndOfTermLeftToPartnerCenterWarns(t *testing.T) {
	off, on := false, true
	tests := []struct {
		name      string
		autoRenew *bool
		endOfTerm v1alpha1.EndOfTerm
		offer     string
		warns     bool
	}{
		{"auto-renew off, no choice", &off, "", "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P", true},
		{"auto-renew off, cancel at term end", &off, v1alpha1.EndOfTermCancel, "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P", false},
		{"auto-renew off, extended term chosen", &off, v1alpha1.EndOfTermExtendedServiceTerm, "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P", false},
		{"auto-renew on", &on, "", "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P", false},
		{"auto-renew defaulted", nil, "", "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P", false},
		{"legacy offer", &off, "", "031C9E47-4802-4248-838E-778FB1D2CC05", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &v1alpha1.Subscription{Spec: v1alpha1.SubscriptionSpec{OfferID: tt.offer, Quantity: 1, AutoRenew: tt.autoRenew, EndOfTerm: tt.endOfTerm}}
			got := EndOfTermWarnings(s)
			if (len(got) > 0) != tt.warns {
				t.Fatalf("warnings %q, want warning %t", got, tt.warns)
			}
			if tt.warns && !(strings.HasPrefix(got[0], "S7") && strings.Contains(got[0], "Extended Service Term") && strings.Contains(got[0], "endOfTerm: Cancel")) {
				t.Errorf("warning %q does not explain the cost and the choice", got[0])
			}
		})
	}
}
