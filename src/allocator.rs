//! The allocator the `gazette` binary and the benches use: mimalloc,
//! called the way C calls it for every ordinary layout.
//!
//! The `mimalloc` crate's allocator asks for every block through
//! `mi_malloc_aligned`, which first checks the alignment and the block it
//! would hand out; the analysis allocates about one block per three bytes
//! of text, so that check was 2.3% of a run's instructions. mimalloc's
//! blocks are whole numbers of 8-byte words in pages whose first block is
//! aligned to 16 bytes, so every block is aligned to 8 bytes, as C's
//! `malloc` is: layouts that need no more go straight to `mi_malloc`,
//! `mi_zalloc` and `mi_realloc`, and the rest to the aligned calls.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment every mimalloc block has.
const WORD: usize = 8;

/// mimalloc as the global allocator (see the module docs).
pub struct Mimalloc;

/// Whether `mi_malloc` gives a block aligned enough for `align` and `size`.
#[inline]
fn plain(align: usize, size: usize) -> bool {
    align <= WORD && align <= size
}

// SAFETY: each call hands mimalloc a size and alignment from a valid
// `Layout` (or a new size for the same alignment), returns its block or
// null, and frees only blocks mimalloc gave; plain calls are used only
// where mimalloc's word alignment covers the layout's.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            mi::mi_malloc(layout.size()).cast()
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            mi::mi_zalloc(layout.size()).cast()
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi::mi_free(ptr.cast::<c_void>());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if plain(layout.align(), new_size) {
            mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
        } else {
            mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every block is aligned as its layout asks, zeroed blocks are zero,
    /// and a block keeps its bytes when it grows and when it shrinks: for
    /// the sizes and alignments Rust's collections ask for, and over-aligned
    /// ones.
    #[test]
    fn blocks_are_aligned_zeroed_and_kept() {
        let a = Mimalloc;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 3, 7, 8, 12, 20, 24, 40, 100, 1000, 5000, 70_000, 1 << 21] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: sizes are not zero; each block is written within
                // its size and freed once, with its current layout.
                unsafe {
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0, "zalloc {size}/{align}");
                    assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                    a.dealloc(z, layout);

                    let mut p = a.alloc(layout);
                    assert_eq!(p as usize % align, 0, "alloc {size}/{align}");
                    for i in 0..size {
                        *p.add(i) = i as u8;
                    }
                    let mut now = layout;
                    for new in [size * 3, size / 2 + 1] {
                        p = a.realloc(p, now, new);
                        assert_eq!(p as usize % align, 0, "realloc {size}->{new}/{align}");
                        let kept = size.min(new);
                        assert!((0..kept).all(|i| *p.add(i) == i as u8), "realloc {size}->{new}");
                        now = Layout::from_size_align(new, align).unwrap();
                    }
                    a.dealloc(p, now);
                }
            }
        }
    }
}
