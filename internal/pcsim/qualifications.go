package pcsim

import (
	"fmt"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// SetQualificationVetting is Microsoft finishing (or reopening) the vetting
// of a customer's qualification (C8): status is Approved, Denied or InReview;
// reason is shown for Denied. Approved entries carry no date, as the API's do.
func (s *Simulator) SetQualificationVetting(customerID, qualification, vettingStatus, reason string) error {
	var found bool
	err := s.withCustomer(customerID, func(c *customerState, now time.Time) {
		for i := range c.qualifications {
			q := &c.qualifications[i]
			if q.Qualification != qualification {
				continue
			}
			found = true
			q.VettingStatus, q.VettingReason = vettingStatus, ""
			if vettingStatus == pc.VettingDenied {
				q.VettingReason = reason
			}
			if vettingStatus == pc.VettingApproved {
				q.VettingCreatedDate = ""
			}
		}
	})
	if err == nil && !found {
		err = fmt.Errorf("pcsim: customer %q has requested no %s qualification", customerID, qualification)
	}
	return err
}
