//! Markdown to HTML with pulldown-cmark, exported through a C ABI the host
//! drives: allocate a buffer in the module's memory, copy the text in,
//! render, read the HTML back, free both buffers.

use pulldown_cmark::{html, Options, Parser};

/// Allocates `len` bytes in this module's memory; 0 on failure.
#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buf = Vec::<u8>::with_capacity(len.max(1));
    let ptr = buf.as_mut_ptr();
    std::mem::forget(buf);
    ptr
}

/// Frees a buffer returned by `alloc` or `render`.
#[no_mangle]
pub unsafe extern "C" fn dealloc(ptr: *mut u8, len: usize) {
    drop(Vec::from_raw_parts(ptr, 0, len.max(1)));
}

static mut LAST_LEN: usize = 0;

/// Renders the UTF-8 markdown at [ptr, ptr+len) and returns a new buffer
/// holding the HTML; its length is returned by `output_len`.
#[no_mangle]
pub unsafe extern "C" fn render(ptr: *const u8, len: usize) -> *mut u8 {
    let input = std::slice::from_raw_parts(ptr, len);
    let text = String::from_utf8_lossy(input);
    let parser = Parser::new_ext(&text, Options::all());
    let mut out = String::with_capacity(len * 3 / 2 + 16);
    html::push_html(&mut out, parser);
    let mut bytes = out.into_bytes();
    // Capacity exactly max(len, 1), what `dealloc` gives back: an empty
    // output (a document of link definitions only) must not hand out a
    // dangling pointer.
    bytes.reserve_exact(1);
    bytes.shrink_to(bytes.len().max(1));
    LAST_LEN = bytes.len();
    let p = bytes.as_mut_ptr();
    std::mem::forget(bytes);
    p
}

/// The length of the buffer the last `render` returned.
#[no_mangle]
pub unsafe extern "C" fn output_len() -> usize {
    LAST_LEN
}
