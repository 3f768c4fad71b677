//! Generated benchmark corpora: the seed repeated, and varied report prose made from the
//! seed's paragraphs with some of their figures changed, so that claims fire at a
//! realistic rate rather than twenty times per copy at the same places.
//!
//! Deterministic: the same size and seed number give the same bytes on every machine
//! (a SplitMix64 generator, no dependency), so the golden-output test can pin the findings
//! of a generated corpus.

/// SplitMix64: a small, fast, well-mixed generator; enough for picking paragraphs.
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// The seed report, as the benchmarks and tests read it.
pub fn seed_text() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_26c4ac59d5b61832.txt"
    );
    std::fs::read_to_string(path).expect("the seed is in seeds/")
}

/// The seed repeated until the text is at least `bytes` long (at least one copy).
pub fn repeated(seed: &str, bytes: usize) -> String {
    let copies = bytes.div_ceil(seed.len()).max(1);
    seed.repeat(copies)
}

/// The seed's paragraphs: runs of lines ending at a line whose text ends a sentence
/// ('.', ':' or ';'). The seed was extracted from a PDF with a blank line between lines,
/// so blank lines do not separate paragraphs; sentence ends do, and keep claims whole.
pub fn paragraphs(seed: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in seed.split_inclusive('\n') {
        pos += line.len();
        let trimmed = line.trim_end();
        if trimmed.ends_with(['.', ':', ';']) {
            out.push(&seed[start..pos]);
            start = pos;
        }
    }
    if start < seed.len() {
        out.push(&seed[start..]);
    }
    out
}

/// Varied report prose of at least `bytes` bytes: the seed's paragraphs drawn at random
/// (with replacement), each digit run changed in one digit with probability 1 in 8 (the
/// first digit is kept, so no number gains or loses a digit). Page furniture, headings and
/// tables come along with their paragraphs.
pub fn varied(seed: &str, bytes: usize, rng_seed: u64) -> String {
    let paras = paragraphs(seed);
    let mut rng = Rng::new(rng_seed);
    let mut out = String::with_capacity(bytes + 4096);
    while out.len() < bytes {
        let para = paras[rng.below(paras.len())];
        let mut digits_run = 0usize;
        let mut changing = false;
        for ch in para.chars() {
            if ch.is_ascii_digit() {
                if digits_run == 0 {
                    changing = rng.below(8) == 0;
                }
                digits_run += 1;
                if changing && digits_run > 1 && rng.below(2) == 0 {
                    changing = false;
                    let d = b'0' + rng.below(10) as u8;
                    out.push(d as char);
                    continue;
                }
            } else {
                digits_run = 0;
            }
            out.push(ch);
        }
    }
    out
}
