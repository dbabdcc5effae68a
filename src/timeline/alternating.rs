//! Reps that alternate sides rep by rep (`sides: Alternating`): which side each rep works and
//! how many reps each side gets.

use serde::Serialize;

use super::plan::{Ordinal, Side};
use crate::routine::Count;

/// The reps of an alternating step shared out between the sides, left first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AlternatingReps {
    /// Reps on the left: the odd reps (1, 3, 5…).
    pub left: u32,
    /// Reps on the right: the even reps (2, 4, 6…).
    pub right: u32,
}

impl AlternatingReps {
    /// The planner's notion of reps per side: the coach's count is every rep of both sides
    /// together, so 10 alternating reps are 5 a side and 9 are 5 on the left and 4 on the
    /// right.
    ///
    /// A count written per side ("5 each side") gives each side that many, `2 × value` in
    /// all.
    #[must_use]
    pub fn of(reps: Count) -> Self {
        if reps.per_side {
            return Self {
                left: reps.value,
                right: reps.value,
            };
        }
        Self {
            left: reps.value.div_ceil(2),
            right: reps.value / 2,
        }
    }

    /// Every rep of both sides.
    #[must_use]
    pub fn total(self) -> u32 {
        self.left + self.right
    }

    /// Whether both sides get the same number.
    #[must_use]
    pub fn is_even(self) -> bool {
        self.left == self.right
    }

    /// The side rep `rep` (1-based, counting both sides) works: odd reps left, even right.
    #[must_use]
    pub fn side(rep: u32) -> Side {
        if rep % 2 == 1 {
            Side::Left
        } else {
            Side::Right
        }
    }

    /// Rep `rep` (1-based, counting both sides) as that side counts it: rep 3 of 10 is the
    /// left side's 2 of 5.
    #[must_use]
    pub fn on_its_side(self, rep: u32) -> (Side, Ordinal) {
        let side = Self::side(rep);
        let of = match side {
            Side::Left => self.left,
            Side::Right => self.right,
        };
        (
            side,
            Ordinal {
                index: rep.div_ceil(2).min(of),
                of,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reps_are_shared_out_left_first() {
        let even = AlternatingReps::of(Count::exact(10));
        assert_eq!((even.left, even.right, even.total()), (5, 5, 10), "10 reps");
        let odd = AlternatingReps::of(Count::exact(9));
        assert_eq!((odd.left, odd.right), (5, 4), "9 reps: the left once more");
        assert!(even.is_even() && !odd.is_even(), "even and odd");
    }

    #[test]
    fn each_rep_counts_on_its_own_side() {
        let reps = AlternatingReps::of(Count::exact(10));
        assert_eq!(
            reps.on_its_side(1),
            (Side::Left, Ordinal { index: 1, of: 5 }),
            "rep 1"
        );
        assert_eq!(
            reps.on_its_side(6),
            (Side::Right, Ordinal { index: 3, of: 5 }),
            "rep 6"
        );
        assert_eq!(
            reps.on_its_side(10),
            (Side::Right, Ordinal { index: 5, of: 5 }),
            "rep 10"
        );
    }
}
