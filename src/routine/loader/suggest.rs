//! "Did you mean": the known name closest to a mistyped one, by edit distance.
//!
//! Used for unknown fields and variants in syntax errors, unknown exercise ids, and by the
//! command line for unknown routine ids.

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
#[must_use]
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, c)| d <= (c.chars().count() / 3).max(2))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("", ""), 0, "nothing to edit");
        assert_eq!(edit_distance("plank", "plank"), 0, "the same word");
        assert_eq!(
            edit_distance("bird-dgo", "bird-dog"),
            2,
            "a swap is two edits"
        );
        assert_eq!(edit_distance("lunge", "lunges"), 1, "one insertion");
        assert_eq!(edit_distance("squat", ""), 5, "every character deleted");
    }

    #[test]
    fn suggests_a_close_candidate_only() {
        let ids = ["bird-dog", "plank", "side-plank"];
        assert_eq!(closest("bird-dgo", ids), Some("bird-dog"));
        assert_eq!(closest("plnak", ids), Some("plank"));
        assert_eq!(closest("jumping-jacks", ids), None, "nothing is close");
        assert_eq!(closest("anything", []), None, "no candidates");
    }
}
