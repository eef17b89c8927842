package pcsim

import (
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// seatBatch is seats bought together (the purchase or renewal, or one
// increase), returnable until their own window closes: 168 hours after
// them (S6, refundableQuantity.details).
type seatBatch struct {
	quantity int
	until    time.Time
}

// seatBatches are the subscription's batches; the purchase (or the last
// renewal) is one batch ending at the cancellation window. Callers hold s.mu.
func seatBatches(sub *subscriptionState) []seatBatch {
	if sub.seats == nil {
		sub.seats = []seatBatch{{quantity: sub.sub.Quantity, until: sub.cancelUntil}}
	}
	return sub.seats
}

// refundableSeats is how many seats can be returned at now.
func refundableSeats(sub *subscriptionState, now time.Time) int {
	n := 0
	for _, b := range seatBatches(sub) {
		if now.Before(b.until) {
			n += b.quantity
		}
	}
	return n
}

// changeSeats records a quantity change: an increase is a new batch with
// its own window; a decrease returns the newest returnable seats first.
// Choice: the documents do not say which batch a return comes from.
func changeSeats(sub *subscriptionState, delta int, now time.Time) {
	batches := seatBatches(sub)
	if delta > 0 {
		sub.seats = append(batches, seatBatch{quantity: delta, until: now.Add(cancellationWindow)})
		return
	}
	for i := len(batches) - 1; i >= 0 && delta < 0; i-- {
		if !now.Before(batches[i].until) {
			continue
		}
		take := min(batches[i].quantity, -delta)
		batches[i].quantity -= take
		delta += take
	}
}

// publishRefunds sets refundableQuantity to the batches still returnable at now.
func publishRefunds(sub *subscriptionState, now time.Time) {
	rq := &pc.RefundableQuantity{}
	for _, b := range seatBatches(sub) {
		if b.quantity > 0 && now.Before(b.until) {
			rq.TotalQuantity += b.quantity
			rq.Details = append(rq.Details, pc.RefundableQuantityDetail{Quantity: b.quantity, AllowedUntilDateTime: pc.FormatTime(b.until)})
		}
	}
	sub.sub.RefundableQuantity = rq
}
