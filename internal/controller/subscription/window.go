package subscription

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// refundableSeatsOf is refundableQuantity as status keeps it: one entry per
// batch of seats with the end of its return window (S6).
func refundableSeatsOf(remote *wire.Subscription) []v1alpha1.RefundableSeats {
	if remote.RefundableQuantity == nil {
		return nil
	}
	var out []v1alpha1.RefundableSeats
	for _, d := range remote.RefundableQuantity.Details {
		if until := timeOf(d.AllowedUntilDateTime); until != nil && d.Quantity > 0 {
			out = append(out, v1alpha1.RefundableSeats{Quantity: int32(d.Quantity), Until: metav1.Time{Time: until.Time}})
		}
	}
	return out
}
