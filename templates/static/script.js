// Page behaviour goes here.
document.documentElement.dataset.ready = "true";
