//! What a frame costs the renderer, counted exactly: the pixels its triangles cover.
//!
//! On Mesa's llvmpipe (software GL, where the benchmarks run and where many laptops without
//! a working GPU driver end up) every covered pixel runs egui's fragment shader, and a
//! profile of a countdown frame is almost all that shader; clearing the window is a cheap
//! fill of the tiles. So the area covered is the frame's cost, whatever the machine, and it
//! is asserted here rather than timed: the window's background is the clear colour, not a
//! window-sized rectangle drawn again on every frame, and nothing is painted twice.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use eframe::egui::{self, Pos2, Rect, epaint};
use egui_kittest::Harness;
use limberup::app::{LimberApp, Options, Screen};
use limberup::launch::First;
use limberup::library::Folders;
use limberup::settings::Settings;
use limberup::timeline::ManualClock;

const WIDTH: f32 = 1280.0;
const HEIGHT: f32 = 800.0;

/// The app at 1280x800 on the bundled routines, started as `first` with the voice off (the
/// plan's timings are the routine's own).
fn app(first: First) -> (Harness<'static, LimberApp>, ManualClock, tempfile::TempDir) {
    app_with(
        first,
        Settings {
            voice: false,
            ..Settings::default()
        },
    )
}

/// As [`app`], with `settings`.
fn app_with(
    first: First,
    settings: Settings,
) -> (Harness<'static, LimberApp>, ManualClock, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = ManualClock::new();
    let options = Options {
        clock: Arc::new(clock.clone()),
        folders: Folders {
            bundled: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("routines")),
            user: Some(dir.path().join("user")),
            extra: Vec::new(),
        },
        first,
        history_db: Some(dir.path().join("history.sqlite3")),
        settings_file: None,
        time_zone: jiff::tz::TimeZone::UTC,
        sound: false,
        notifications: false,
        media_keys: false,
    };
    let harness = Harness::builder()
        .with_size(egui::vec2(WIDTH, HEIGHT))
        .with_step_dt(0.001)
        .build_eframe(move |cc| LimberApp::with_settings(&cc.egui_ctx, options, settings));
    (harness, clock, dir)
}

/// The last frame's cost: (pixels covered by its triangles, of them those of pictures).
/// Each triangle is clipped to its clip rectangle and the window, as the renderer does.
fn covered(harness: &Harness<'_, LimberApp>) -> (f64, f64) {
    let output = harness.output();
    let ppp = output.pixels_per_point;
    let window = Rect::from_min_size(Pos2::ZERO, egui::vec2(WIDTH, HEIGHT));
    let primitives = harness.ctx.tessellate(output.shapes.clone(), ppp);
    let (mut all, mut pictures) = (0.0, 0.0);
    for primitive in primitives {
        let epaint::Primitive::Mesh(mesh) = &primitive.primitive else {
            continue;
        };
        let clip = primitive.clip_rect.intersect(window);
        let area: f64 = mesh
            .indices
            .chunks_exact(3)
            .map(|t| {
                let corner = |i: u32| mesh.vertices[i as usize].pos;
                clipped_area(&[corner(t[0]), corner(t[1]), corner(t[2])], clip)
            })
            .sum();
        let area = area * f64::from(ppp * ppp);
        all += area;
        if mesh.texture_id != egui::TextureId::default() {
            pictures += area;
        }
    }
    (all, pictures)
}

/// The area of `polygon` inside `clip` (Sutherland–Hodgman against the four edges, then
/// the shoelace formula).
fn clipped_area(polygon: &[Pos2], clip: Rect) -> f64 {
    type Inside = fn(Pos2, Rect) -> bool;
    type Cross = fn(Pos2, Pos2, Rect) -> Pos2;
    let edges: [(Inside, Cross); 4] = [
        (|p, r| p.x >= r.min.x, |a, b, r| at_x(a, b, r.min.x)),
        (|p, r| p.x <= r.max.x, |a, b, r| at_x(a, b, r.max.x)),
        (|p, r| p.y >= r.min.y, |a, b, r| at_y(a, b, r.min.y)),
        (|p, r| p.y <= r.max.y, |a, b, r| at_y(a, b, r.max.y)),
    ];
    let mut points = polygon.to_vec();
    for (inside, cross) in edges {
        let input = std::mem::take(&mut points);
        for (i, &b) in input.iter().enumerate() {
            let a = input[(i + input.len() - 1) % input.len()];
            match (inside(a, clip), inside(b, clip)) {
                (true, true) => points.push(b),
                (true, false) => points.push(cross(a, b, clip)),
                (false, true) => {
                    points.push(cross(a, b, clip));
                    points.push(b);
                }
                (false, false) => {}
            }
        }
        if points.is_empty() {
            return 0.0;
        }
    }
    let twice: f64 = points
        .iter()
        .zip(points.iter().cycle().skip(1))
        .map(|(a, b)| f64::from(a.x) * f64::from(b.y) - f64::from(b.x) * f64::from(a.y))
        .sum();
    twice.abs() / 2.0
}

fn at_x(a: Pos2, b: Pos2, x: f32) -> Pos2 {
    let t = (x - a.x) / (b.x - a.x);
    Pos2::new(x, a.y + t * (b.y - a.y))
}

fn at_y(a: Pos2, b: Pos2, y: f32) -> Pos2 {
    let t = (y - a.y) / (b.y - a.y);
    Pos2::new(a.x + t * (b.x - a.x), y)
}

/// Runs frames (the picture decodes on its own thread) until one draws a picture.
fn until_a_picture_shows(harness: &mut Harness<'_, LimberApp>) {
    for _ in 0..500 {
        harness.run_steps(1);
        if covered(harness).1 > 0.0 {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("no picture was drawn within 5 s");
}

#[test]
fn the_area_count_is_exact_for_known_shapes() {
    let clip = Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(10.0, 10.0));
    let triangle = [
        Pos2::new(0.0, 0.0),
        Pos2::new(10.0, 0.0),
        Pos2::new(0.0, 10.0),
    ];
    assert!(
        (clipped_area(&triangle, clip) - 50.0).abs() < 1e-9,
        "inside: half the square"
    );
    let shifted = triangle.map(|p| p + egui::vec2(5.0, 0.0));
    assert!(
        (clipped_area(&shifted, clip) - 37.5).abs() < 1e-9,
        "the part right of x = 10 is cut off: 50 - 12.5"
    );
    let outside = triangle.map(|p| p + egui::vec2(20.0, 0.0));
    assert!(
        clipped_area(&outside, clip).abs() < 1e-9,
        "wholly outside: nothing"
    );
}

#[test]
fn a_countdown_frame_covers_little_more_than_its_picture_and_its_words() {
    let (mut harness, clock, _dir) = app(First::Play {
        routine: "pre-run-warmup".into(),
        level: None,
        variant: None,
    });
    harness.run_steps(3);
    assert!(
        matches!(harness.state().screen(), Screen::Player),
        "straight into the player"
    );
    // 5 s into the first foam-rolling step, past the lead-in.
    clock.advance(Duration::from_secs(15));
    harness.run_steps(2);
    until_a_picture_shows(&mut harness);
    let window = f64::from(WIDTH * HEIGHT);
    let (all, picture) = covered(&harness);
    let rest = all - picture;
    assert!(
        picture > 0.15 * window,
        "the step's picture is drawn large: {picture:.0} px"
    );
    // The words, the bars and the buttons cover a fraction of the window; a background
    // painted over the whole window would cover it all again.
    assert!(
        rest < 0.35 * window,
        "the rest of the frame covers {rest:.0} px, {:.2} of the window",
        rest / window
    );
}

#[test]
fn the_library_frame_paints_no_background_over_the_clear_colour() {
    let (mut harness, _clock, _dir) = app(First::Library);
    harness.run_steps(3);
    assert_eq!(
        harness.state().screen(),
        Screen::Library,
        "the library shows"
    );
    let window = f64::from(WIDTH * HEIGHT);
    let (all, _) = covered(&harness);
    // Its cards' faint backgrounds cover about three quarters of the window: a window-sized
    // background under them would cover it all once more.
    assert!(
        all < window,
        "the library covers {all:.0} px, {:.2} of the window",
        all / window
    );
}

/// The font atlas's size, in texels.
#[expect(
    clippy::redundant_closure_for_method_calls,
    reason = "the method itself is not general enough over the view's lifetime"
)]
fn atlas(harness: &Harness<'_, LimberApp>) -> [usize; 2] {
    harness.ctx.fonts(|fonts| fonts.font_image_size())
}

/// What eframe gives the app on a renderer that allows 16384-texel textures (llvmpipe does):
/// the app's input hook caps it, as before every frame in the window.
fn as_on_llvmpipe(harness: &mut Harness<'_, LimberApp>) {
    let ctx = harness.ctx.clone();
    let mut raw = harness.input().clone();
    raw.max_texture_side = Some(16_384);
    eframe::App::raw_input_hook(harness.state_mut(), &ctx, &mut raw);
    *harness.input_mut() = raw;
}

#[test]
fn the_font_atlas_holds_the_whole_warm_up_without_growing() {
    use limberup::timeline::Clock as _;
    // egui packs glyphs in rows as tall as their tallest: a countdown whose size followed
    // the space left by each step's title and notes drew a new set of 190-point digits for
    // many steps, each opening rows as tall as the digits, and the atlas doubled (16 MiB
    // more in egui and as much again in the driver).
    let (mut harness, clock, _dir) = app_with(
        First::Play {
            routine: "pre-run-warmup".into(),
            level: None,
            variant: None,
        },
        Settings::default(),
    );
    as_on_llvmpipe(&mut harness);
    harness.run_steps(3);
    // Through the lead-in and the first step: every digit has been drawn.
    for _ in 0..45 {
        clock.advance(Duration::from_secs(1));
        harness.run_steps(1);
    }
    let early = atlas(&harness);
    let mut seconds = 45;
    while harness.state().screen() == Screen::Player {
        let now = clock.now();
        let session = harness.state().session().expect("a session under way");
        let status = session.player().status(now);
        let waits = session.player().plan().segments[status.segment].waits_for_done();
        if waits && status.elapsed >= Duration::from_secs(5) {
            harness.key_press(egui::Key::Enter);
        }
        clock.advance(Duration::from_secs(1));
        harness.run_steps(1);
        seconds += 1;
        assert!(seconds < 3_600, "the warm-up ends within an hour");
    }
    assert_eq!(
        harness.state().screen(),
        Screen::Finish,
        "played to the end"
    );
    assert_eq!(
        atlas(&harness),
        early,
        "the font atlas after {seconds} s of the warm-up, against after its first step"
    );
}
